/// Percent-encoding as AWS SigV4 and Azure define it: every byte except `A-Z a-z 0-9 - . _ ~` becomes `%XX`.
package enum PercentEncoding {
    /// Encodes a string's UTF-8 bytes.
    ///
    /// - Parameters:
    ///   - value: The unencoded text.
    ///   - keepingSlashes: Whether `/` stays literal (object keys) or becomes `%2F` (query values).
    /// - Returns: The encoded text, with upper-case hex digits.
    package static func encode(_ value: String, keepingSlashes: Bool = false) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(value.utf8.count)
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in value.utf8 {
            if isUnreserved(byte) || (keepingSlashes && byte == UInt8(ascii: "/")) {
                output.append(byte)
            } else {
                output.append(UInt8(ascii: "%"))
                output.append(hex[Int(byte >> 4)])
                output.append(hex[Int(byte & 0x0F)])
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Encodes query items as `name=value` pairs joined by `&`, in the given order.
    ///
    /// - Parameter items: Unencoded names and values; an empty value renders as `name=`.
    /// - Returns: The query without a leading `?`.
    package static func query(_ items: [(String, String)]) -> String {
        items.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: "~"):
            true
        default: false
        }
    }
}

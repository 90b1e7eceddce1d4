import Foundation

/// A 32-byte AES-256 key, as the file record's `encodedEncryptionKey` carries it (base64, 44 characters).
///
/// Never log or journal it.
package struct EncryptionKey: Hashable, Sendable {
    /// The raw key bytes (32).
    package let bytes: [UInt8]

    /// Wraps 32 raw bytes.
    ///
    /// - Throws: `TransferError` when `bytes` is not 32 bytes long.
    package init(bytes: [UInt8]) throws(TransferError) {
        guard bytes.count == 32 else {
            throw TransferError(path: "key", reason: .invalidKeyMaterial("a key is 32 bytes, not \(bytes.count)"))
        }
        self.bytes = bytes
    }

    /// Decodes `encodedEncryptionKey`.
    ///
    /// - Throws: `TransferError` for invalid base64 or a wrong length.
    package init(base64 text: String) throws(TransferError) {
        guard let data = Data(base64Encoded: text) else {
            throw TransferError(path: "key", reason: .invalidKeyMaterial("the key is not valid base64"))
        }
        try self.init(bytes: Array(data))
    }

    /// A fresh key from the system CSPRNG.
    package static func random() -> EncryptionKey {
        let bytes = systemRandomBytes(32)
        guard let result = try? EncryptionKey(bytes: bytes) else { preconditionFailure("a 256-bit key is 32 bytes") }
        return result
    }

    /// The base64 text for `encodedEncryptionKey`.
    package var base64: String { Data(bytes).base64EncodedString() }
}

/// One 16-byte AES block: an IV, or the last ciphertext block that chains CBC into the next part.
package struct CipherBlock: Hashable, Sendable, Codable {
    /// The 16 bytes.
    package let bytes: [UInt8]

    /// Wraps 16 raw bytes.
    ///
    /// - Throws: `TransferError` when `bytes` is not 16 bytes long.
    package init(bytes: some Collection<UInt8>) throws(TransferError) {
        guard bytes.count == 16 else {
            throw TransferError(path: "iv", reason: .invalidKeyMaterial("an IV is 16 bytes, not \(bytes.count)"))
        }
        self.bytes = Array(bytes)
    }

    /// Decodes the metadata `iv` (base64, 24 characters).
    ///
    /// - Throws: `TransferError` for invalid base64 or a wrong length.
    package init(base64 text: String) throws(TransferError) {
        guard let data = Data(base64Encoded: text) else {
            throw TransferError(path: "iv", reason: .invalidKeyMaterial("the IV is not valid base64"))
        }
        try self.init(bytes: Array(data))
    }

    /// A fresh IV from the system CSPRNG.
    package static func random() -> CipherBlock {
        let bytes = systemRandomBytes(16)
        guard let block = try? CipherBlock(bytes: bytes) else { preconditionFailure("16 bytes make a block") }
        return block
    }

    /// The base64 text for the metadata `iv`.
    package var base64: String { Data(bytes).base64EncodedString() }

    package init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        self = try CipherBlock(base64: text)
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(base64)
    }
}

/// Hexadecimal text of bytes, for SHA-512 digests and tests.
package enum Hex {
    /// Lowercase hex of `bytes`.
    package static func encode(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Bytes of hex text; nil when it is not an even number of hex digits.
    package static func decode(_ text: String) -> [UInt8]? {
        let scalars = Array(text.utf8)
        guard scalars.count.isMultiple(of: 2) else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(scalars.count / 2)
        for index in stride(from: 0, to: scalars.count, by: 2) {
            guard let high = nibble(scalars[index]), let low = nibble(scalars[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        return bytes
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// `count` bytes from the system CSPRNG, eight a draw (one `getrandom` each, not one a byte).
///
/// - Parameter count: How many bytes.
/// - Returns: The bytes.
func systemRandomBytes(_ count: Int) -> [UInt8] {
    var generator = SystemRandomNumberGenerator()
    var bytes: [UInt8] = []
    bytes.reserveCapacity(count)
    while bytes.count < count {
        let word = generator.next()
        withUnsafeBytes(of: word) { bytes.append(contentsOf: $0.prefix(count - bytes.count)) }
    }
    return bytes
}

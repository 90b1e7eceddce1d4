import Foundation
import InterlinkCrypto

/// Blob service SAS (signed version 2020-12-06 and later): the string-to-sign, signing, and verification.
///
/// The string-to-sign is, one field per line: `sp`, `st`, `se`, the canonicalized resource
/// (`/blob/<account>/<container>[/<blob>]`), `si`, `sip`, `spr`, `sv`, `sr`, the snapshot time, `ses`, `rscc`,
/// `rscd`, `rsce`, `rscl`, `rsct`. The signature is base64 HMAC-SHA256 keyed with the base64-decoded account key.
package struct ServiceSAS: Sendable {
    /// The oldest signed version whose string-to-sign this emulator knows.
    package static let oldestVersion = "2020-12-06"

    /// The account name.
    package var account: String
    /// The base64 account key.
    package var accountKey: String

    /// Creates a signer for an account.
    package init(account: String, accountKey: String) {
        self.account = account
        self.accountKey = accountKey
    }

    /// The canonicalized resource of a container or blob.
    package func resource(container: String, blob: String?) -> String {
        "/blob/\(account)/\(container)" + (blob.map { "/\($0)" } ?? "")
    }

    /// The string-to-sign for SAS fields, each looked up by its query name (missing fields are empty).
    package func stringToSign(fields: [String: String], resource: String) -> String {
        let value = { (name: String) in fields[name] ?? "" }
        return [
            value("sp"), value("st"), value("se"), resource, value("si"), value("sip"), value("spr"), value("sv"),
            value("sr"), value("snapshot"), value("ses"), value("rscc"), value("rscd"), value("rsce"), value("rscl"),
            value("rsct"),
        ].joined(separator: "\n")
    }

    /// The base64 HMAC-SHA256 of a string with the account key.
    package func signature(of stringToSign: String) -> String {
        let key = Data(base64Encoded: accountKey) ?? Data()
        return Data(HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: key)).base64EncodedString()
    }

    /// Makes a token (query string without `?`) for tests and the emulator's own clients.
    ///
    /// - Parameters:
    ///   - container: The container.
    ///   - blob: The blob for a blob SAS (`sr=b`), or `nil` for a container SAS (`sr=c`).
    ///   - permissions: Signed permissions in the documented order, such as `rcw`.
    ///   - start: The optional start time.
    ///   - expiry: The expiry time.
    ///   - version: The signed version.
    /// - Returns: The encoded token.
    package func token(
        container: String,
        blob: String?,
        permissions: String,
        start: Date? = nil,
        expiry: Date,
        version: String = "2023-11-03"
    ) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        var fields = [
            "sv": version, "sr": blob == nil ? "c" : "b", "sp": permissions, "se": formatter.string(from: expiry),
        ]
        if let start { fields["st"] = formatter.string(from: start) }
        fields["sig"] = signature(
            of: stringToSign(fields: fields, resource: resource(container: container, blob: blob))
        )
        let order = ["sv", "st", "se", "sr", "sp", "sig"]
        return order.compactMap { name in fields[name].map { "\(name)=\(SASQuery.encode($0))" } }.joined(separator: "&")
    }
}

/// Raw query parsing with percent-decoding that keeps `+` literal (SAS signatures are base64).
package enum SASQuery {
    /// Splits `a=b&c=d` into decoded pairs in order.
    package static func parse(_ query: String) -> [(String, String)] {
        query.split(separator: "&", omittingEmptySubsequences: true).map { item in
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    /// Percent-decodes; invalid escapes are kept as they are.
    package static func decode(_ text: some StringProtocol) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "%"), iterator.count >= 2,
                let value = UInt8(String(decoding: iterator.prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                iterator = iterator.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Percent-encodes everything but unreserved characters.
    package static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~")))
            ?? text
    }
}

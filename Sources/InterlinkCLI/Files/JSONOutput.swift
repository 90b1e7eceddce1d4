import Foundation
import InterlinkCore

/// The `--json` output of read commands: one JSON document on stdout, keys sorted.
package enum JSONOutput {
    /// Renders an encodable value as pretty JSON with sorted keys and a final newline.
    ///
    /// - Throws: `EncodingError` (not expected for the types commands print).
    package static func render(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }

    /// Renders platform records as they came, minus the fields that must never be printed.
    ///
    /// - Parameter value: A record or an array of records.
    /// - Returns: Compact JSON with sorted keys and a final newline.
    package static func render(records value: JSONValue) -> String {
        redacted(value).compactJSON + "\n"
    }

    /// The value without `encodedEncryptionKey` anywhere: a file's key stays out of terminals and logs.
    package static func redacted(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            .object(members.filter { $0.key != "encodedEncryptionKey" }.mapValues(redacted))
        case .array(let items): .array(items.map(redacted))
        default: value
        }
    }
}

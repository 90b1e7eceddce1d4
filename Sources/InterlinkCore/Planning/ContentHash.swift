import Crypto
import Foundation

/// Digests that tell whether a node's result could differ from a previous run's.
package enum ContentHash {
    /// The hex SHA-256 of a value's canonical JSON (sorted keys) plus extra lines, with absolute paths made
    /// relative to `baseDirectory` (`..` for paths beside it) so that moving a project does not make every job
    /// look changed.
    ///
    /// - Parameters:
    ///   - value: The specification to digest.
    ///   - baseDirectory: The workflow's directory; occurrences of it become `.`, of its parent `..`, and so on.
    ///   - extra: Further lines (e.g. an input listing) that belong in the digest.
    package static func of(_ value: some Encodable, baseDirectory: String, extra: [String] = []) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var text = (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        // The base and each of its ancestors, deepest first, so `/p/w/x` becomes `./x` and `/p/e/x` `../e/x`.
        var ancestor = PathName.normalize(baseDirectory)
        var relative = "."
        while ancestor.count > 1 {
            text = text.replacingOccurrences(of: "\"\(ancestor)/", with: "\"\(relative)/")
                .replacingOccurrences(of: "\"\(ancestor)\"", with: "\"\(relative)\"")
            ancestor = PathName.dirname(ancestor)
            relative = relative == "." ? ".." : relative + "/.."
        }
        var hasher = SHA256()
        hasher.update(data: Data(text.utf8))
        for line in extra {
            hasher.update(data: Data(("\n" + line).utf8))
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}

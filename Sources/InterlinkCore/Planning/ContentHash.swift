import Foundation
import InterlinkCrypto

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
    /// - Returns: 64 lower-case hex digits.
    package static func of(_ value: some Encodable, baseDirectory: String, extra: [String] = []) -> String {
        // The model's hashed types write their JSON by hand (the same bytes, without the generic encoder's cost).
        let json =
            if let writable = value as? any CanonicalJSONWritable {
                (try? CanonicalJSON.write(writable)) ?? []
            } else {
                (try? CanonicalJSON.encode(value)) ?? []
            }
        var hasher = SHA256()
        relativized(json, baseDirectory: baseDirectory).withUnsafeBytes { hasher.update(bufferPointer: $0) }
        var line: [UInt8] = []
        for text in extra {
            line.removeAll(keepingCapacity: true)
            line.append(UInt8(ascii: "\n"))
            line.append(contentsOf: text.utf8)
            line.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        }
        return hex(hasher.finalize())
    }

    /// JSON bytes with every string that starts with the base directory or one of its ancestors rewritten to
    /// start with `.`, `..`, `../..` and so on, in one pass (the longest matching ancestor wins).
    static func relativized(_ bytes: [UInt8], baseDirectory: String) -> [UInt8] {
        var ancestors: [(prefix: [UInt8], replacement: [UInt8])] = []
        var ancestor = PathName.normalize(baseDirectory)
        var relative = "."
        while ancestor.count > 1 {
            ancestors.append((Array(ancestor.utf8), Array(relative.utf8)))
            ancestor = PathName.dirname(ancestor)
            relative = relative == "." ? ".." : relative + "/.."
        }
        guard !ancestors.isEmpty else { return bytes }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        let quote = UInt8(ascii: "\"")
        let slash = UInt8(ascii: "/")
        while index < bytes.count {
            let byte = bytes[index]
            output.append(byte)
            index += 1
            guard byte == quote, index < bytes.count, bytes[index] == slash else { continue }
            for (prefix, replacement) in ancestors {
                let end = index + prefix.count
                guard end < bytes.count, bytes[end] == slash || bytes[end] == quote,
                    bytes[index..<end].elementsEqual(prefix)
                else { continue }
                output.append(contentsOf: replacement)
                index = end
                break
            }
        }
        return output
    }

    private static let digits = Array("0123456789abcdef".utf8)

    /// Lower-case hex of a digest.
    static func hex(_ digest: some Sequence<UInt8>) -> String {
        var text: [UInt8] = []
        for byte in digest {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

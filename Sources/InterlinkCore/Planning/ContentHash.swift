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
        of(value, relativizing: Relativizer(baseDirectory: baseDirectory), extra: extra)
    }

    /// The same digest with the base directory's ancestors worked out once, for the many jobs of one plan.
    ///
    /// - Parameters:
    ///   - value: The specification to digest.
    ///   - relativizer: The workflow's directory and its ancestors, as ``Relativizer`` rewrites them.
    ///   - extra: Further lines (e.g. an input listing) that belong in the digest.
    /// - Returns: 64 lower-case hex digits.
    package static func of(_ value: some Encodable, relativizing relativizer: Relativizer, extra: [String] = [])
        -> String
    {
        // The model's hashed types write their JSON by hand (the same bytes, without the generic encoder's cost).
        let json =
            if let writable = value as? any CanonicalJSONWritable {
                (try? CanonicalJSON.write(writable)) ?? []
            } else {
                (try? CanonicalJSON.encode(value)) ?? []
            }
        var hasher = SHA256()
        relativizer.apply(to: json).withUnsafeBytes { hasher.update(bufferPointer: $0) }
        var line: [UInt8] = []
        for text in extra {
            line.removeAll(keepingCapacity: true)
            line.append(UInt8(ascii: "\n"))
            line.append(contentsOf: text.utf8)
            line.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        }
        return hex(hasher.finalize())
    }

    /// Rewrites JSON strings that start with a workflow's directory or one of its ancestors to start with `.`,
    /// `..`, `../..` and so on.
    package struct Relativizer: Sendable {
        /// The directory and its ancestors, longest first, each with what replaces it.
        private let ancestors: [(prefix: [UInt8], replacement: [UInt8])]

        /// Works out a directory's ancestors.
        ///
        /// - Parameter baseDirectory: The workflow's directory.
        package init(baseDirectory: String) {
            var ancestors: [(prefix: [UInt8], replacement: [UInt8])] = []
            var ancestor = PathName.normalize(baseDirectory)
            var relative = "."
            while ancestor.count > 1 {
                ancestors.append((Array(ancestor.utf8), Array(relative.utf8)))
                ancestor = PathName.dirname(ancestor)
                relative = relative == "." ? ".." : relative + "/.."
            }
            self.ancestors = ancestors
        }

        /// JSON bytes with each string's leading directory rewritten, in one pass (the longest matching ancestor
        /// wins); the bytes between strings that start with `/` are copied as runs.
        package func apply(to bytes: [UInt8]) -> [UInt8] {
            guard !ancestors.isEmpty else { return bytes }
            let quote = UInt8(ascii: "\"")
            let slash = UInt8(ascii: "/")
            var output: [UInt8] = []
            output.reserveCapacity(bytes.count)
            bytes.withUnsafeBufferPointer { bytes in
                var copied = 0
                var index = 0
                while index + 1 < bytes.count {
                    guard bytes[index] == quote, bytes[index + 1] == slash else {
                        index += 1
                        continue
                    }
                    let start = index + 1
                    for (prefix, replacement) in ancestors {
                        let end = start + prefix.count
                        guard end < bytes.count, bytes[end] == slash || bytes[end] == quote,
                            prefix.withUnsafeBufferPointer({ $0.elementsEqual(bytes[start..<end]) })
                        else { continue }
                        output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<start]))
                        output.append(contentsOf: replacement)
                        copied = end
                        index = end - 1
                        break
                    }
                    index += 1
                }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied...]))
            }
            return output
        }
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

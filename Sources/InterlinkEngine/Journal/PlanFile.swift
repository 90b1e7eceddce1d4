import Foundation
import InterlinkCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A run's `plan.json`: the relocatable plan (``InterlinkCore/Plan/relocatable``) as `JSONEncoder` writes it with
/// sorted keys, pretty-printed, slashes unescaped.
///
/// A large plan is written a node at a time: the plan without its nodes is encoded once, and each node is encoded
/// alone, indented into the `nodes` array. The bytes are those of encoding the whole plan at once (tested), but
/// the encoder never holds more than one node: for 10,000 jobs (a 14 MB file) that whole-plan encoding and the
/// relocated copy of the plan it needed were 40–50 MiB of a run's peak memory.
enum PlanFile {
    /// The encoder of the file's format.
    static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return encoder
    }

    /// The empty `nodes` array as the encoder writes it in the plan without nodes.
    private static let emptyNodes = Data("\"nodes\" : [\n\n  ]".utf8)

    /// Encodes the relocatable plan in pieces, in order.
    ///
    /// - Parameters:
    ///   - plan: The plan (with absolute paths).
    ///   - chunkSize: About how many bytes each piece holds (one node may make a piece larger).
    ///   - write: Takes each piece.
    /// - Throws: What encoding or `write` throws.
    static func encode(_ plan: Plan, chunkSize: Int = 1 << 20, _ write: (Data) throws -> Void) throws {
        let encoder = makeEncoder()
        var outline = plan
        outline.nodes = []
        let head = try encoder.encode(outline.relocatable)
        guard !plan.nodes.isEmpty else { return try write(head) }
        guard let marker = head.range(of: emptyNodes) else {
            // Not the layout this writer knows (another Foundation): the plan whole, the same bytes.
            return try write(encoder.encode(plan.relocatable))
        }
        let relocate = plan.relocatingNode
        var piece = Data(head[..<marker.lowerBound])
        piece.append(contentsOf: "\"nodes\" : [\n".utf8)
        for (index, node) in plan.nodes.enumerated() {
            if index > 0 { piece.append(contentsOf: ",\n".utf8) }
            appendIndented(try encoder.encode(relocate(node)), to: &piece)
            if piece.count >= chunkSize {
                try write(piece)
                piece.removeAll(keepingCapacity: true)
            }
        }
        piece.append(contentsOf: "\n  ]".utf8)
        piece.append(head[marker.upperBound...])
        try write(piece)
    }

    /// Appends a node's encoding two levels deeper (four spaces before each line that is not empty, as the
    /// encoder indents; a raw line break is always structural, strings escape theirs).
    private static func appendIndented(_ encoded: Data, to piece: inout Data) {
        var lineStart = true
        for byte in encoded {
            if lineStart, byte != UInt8(ascii: "\n") { piece.append(contentsOf: "    ".utf8) }
            piece.append(byte)
            lineStart = byte == UInt8(ascii: "\n")
        }
    }

    /// Writes the file atomically: into a temporary file beside it, renamed over it once complete.
    ///
    /// - Parameters:
    ///   - plan: The plan (with absolute paths).
    ///   - path: Where `plan.json` goes.
    /// - Throws: What encoding throws, or an error naming the file that could not be written.
    static func write(_ plan: Plan, to path: String) throws {
        let temporary = PathName.join(PathName.dirname(path), ".plan.json.\(UUID().uuidString).partial")
        guard FileManager.default.createFile(atPath: temporary, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary])
        }
        do {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
            do {
                try encode(plan) { try handle.write(contentsOf: $0) }
                try handle.close()
            } catch {
                try? handle.close()
                throw error
            }
            guard rename(temporary, path) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
            }
        } catch {
            unlink(temporary)
            throw error
        }
    }
}

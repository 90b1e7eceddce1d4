import Foundation
import InterlinkCore

/// The identity of one run: the name of its directory under `.interlink/runs/`.
package struct RunID: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The raw identifier, safe as a directory name.
    package var rawValue: String

    /// Creates an identifier from its raw text.
    package init(_ rawValue: String) { self.rawValue = rawValue }

    /// A new identifier from a date and random suffix, such as `20260403-103001-k3f9`.
    package static func make(at date: Date = Date()) -> RunID {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        let letters = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        let suffix = String((0..<4).compactMap { _ in letters.randomElement() })
        return RunID("\(formatter.string(from: date))-\(suffix)")
    }

    package var description: String { rawValue }

    package init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// One unit of work inside a node: a stage, and for stages with several items the item (the upload's index,
/// the output's local path).
package struct StepRef: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    /// The stage.
    package var stage: StageKind
    /// The item within the stage, if the stage has several.
    package var item: String?

    /// Creates a step reference.
    package init(_ stage: StageKind, item: String? = nil) {
        self.stage = stage
        self.item = item
    }

    /// The idempotency key of this step in a run: the same on every attempt and every resume of the same content.
    ///
    /// With `content` (the node's content hash) the key ends in `@` and its first 16 hex digits, so a node redone
    /// because its inputs changed gets new keys: a lookup after a lost response can only find what was made for
    /// this content, never the job or file of an earlier version of the node.
    ///
    /// - Parameters:
    ///   - run: The run.
    ///   - node: The node.
    ///   - content: The node's content hash, if it is to be part of the key.
    /// - Returns: `<run>/<node>/<stage>[/<item>][@<content prefix>]`.
    package func idempotencyKey(run: RunID, node: NodeID, content: String? = nil) -> IdempotencyKey {
        IdempotencyKey(
            "\(run)/\(node)/\(stage.rawValue)" + (item.map { "/\($0)" } ?? "")
                + (content.map { "@\($0.prefix(16))" } ?? "")
        )
    }

    package var description: String { stage.rawValue + (item.map { "[\($0)]" } ?? "") }

    package static func < (lhs: StepRef, rhs: StepRef) -> Bool {
        (lhs.stage, lhs.item ?? "") < (rhs.stage, rhs.item ?? "")
    }
}

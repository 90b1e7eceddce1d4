/// The platform's identifier of a registered file (Rescale's file `id`).
package struct FileID: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The raw identifier.
    package var rawValue: String

    /// Creates an identifier from its raw text.
    package init(_ rawValue: String) { self.rawValue = rawValue }

    package var description: String { rawValue }

    package init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// The platform's identifier of a job (Rescale's job `id`).
package struct JobID: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The raw identifier.
    package var rawValue: String

    /// Creates an identifier from its raw text.
    package init(_ rawValue: String) { self.rawValue = rawValue }

    package var description: String { rawValue }

    package init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// A deterministic name for one side effect, the same on every attempt and every resume of a run.
///
/// The engine builds it from the run id, the node and the stage (plus the item for stages with several items,
/// such as the second upload of a node). A platform stores it with what it creates (a job tag, a file name
/// suffix, an object key) so that ``Platform/findFile(for:idempotencyKey:)`` and
/// ``Platform/findJob(idempotencyKey:)`` can tell whether an earlier attempt already happened.
package struct IdempotencyKey: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The raw key, `<run-id>/<node>/<stage>[/<item>]`.
    package var rawValue: String

    /// Creates a key from its raw text.
    package init(_ rawValue: String) { self.rawValue = rawValue }

    package var description: String { rawValue }

    package init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

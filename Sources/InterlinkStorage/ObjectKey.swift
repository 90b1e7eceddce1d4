/// The name of an object in a bucket or container: an S3 key or an Azure blob name.
///
/// Keys are used unmodified (spaces and any Unicode allowed); each client percent-encodes them on the wire. A key
/// never starts with `/`.
package struct ObjectKey: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The key as stored, without encoding.
    package var rawValue: String

    /// Wraps a key.
    ///
    /// - Parameter rawValue: The unencoded key; must not be empty or start with `/`.
    package init(_ rawValue: String) {
        precondition(!rawValue.isEmpty && !rawValue.hasPrefix("/"), "object keys are non-empty and relative")
        self.rawValue = rawValue
    }

    /// Joins a path base and an object name with `/` only when the base is non-empty.
    ///
    /// - Parameters:
    ///   - base: The storage path base, possibly empty; trailing slashes are ignored.
    ///   - name: The object name.
    /// - Returns: `base/name`, or `name` when `base` is empty.
    package static func joining(base: String, name: String) -> ObjectKey {
        var trimmed = Substring(base)
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        while trimmed.hasPrefix("/") { trimmed = trimmed.dropFirst() }
        return ObjectKey(trimmed.isEmpty ? name : "\(trimmed)/\(name)")
    }

    /// The unencoded key.
    package var description: String { rawValue }

    /// Decodes a key from a plain JSON string.
    package init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }

    /// Encodes the key as a plain JSON string.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

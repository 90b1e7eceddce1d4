/// User metadata of an object (`x-amz-meta-*` on S3, `x-ms-meta-*` on Azure), with case-insensitive lookup.
///
/// Names are written in lower case and read case-insensitively: S3 returns lower-case names,
/// while files written by other tools may carry `IV` or `streamingFormat`.
package struct ObjectMetadata: Hashable, Sendable, Codable {
    /// The entries in the order they were added, names as given.
    package private(set) var entries: [Entry]

    /// One metadata name and value.
    package struct Entry: Hashable, Sendable, Codable {
        /// The name without the `x-amz-meta-` or `x-ms-meta-` prefix.
        package var name: String
        /// The value, sent verbatim.
        package var value: String
    }

    /// Creates metadata from name-value pairs.
    ///
    /// - Parameter pairs: Names without the wire prefix; a later duplicate name (ignoring case) replaces an earlier.
    package init(_ pairs: [(String, String)] = []) {
        entries = []
        for (name, value) in pairs { self[name] = value }
    }

    /// The value for a name, matched case-insensitively; setting replaces any entry with the same lowered name.
    package subscript(name: String) -> String? {
        get { entries.first { $0.name.lowercased() == name.lowercased() }?.value }
        set {
            entries.removeAll { $0.name.lowercased() == name.lowercased() }
            if let newValue { entries.append(Entry(name: name, value: newValue)) }
        }
    }

    /// Whether there are no entries.
    package var isEmpty: Bool { entries.isEmpty }

    /// The streaming-upload metadata the platform reads: IV, `streamingformat=cbc`, part size.
    ///
    /// - Parameters:
    ///   - iv: The base64 initialisation vector (IV0).
    ///   - partSize: The part size S in bytes.
    /// - Returns: Metadata with lower-case names `iv`, `streamingformat` and `partsize`.
    package static func streaming(iv: String, partSize: Int) -> ObjectMetadata {
        ObjectMetadata([("iv", iv), ("streamingformat", "cbc"), ("partsize", String(partSize))])
    }

    /// Collects metadata from response headers that start with a prefix, matching the prefix case-insensitively.
    ///
    /// - Parameters:
    ///   - headers: Response header name-value pairs.
    ///   - prefix: `x-amz-meta-` or `x-ms-meta-`.
    /// - Returns: The metadata with the prefix removed from each name.
    package static func from(headers: [(String, String)], prefix: String) -> ObjectMetadata {
        var metadata = ObjectMetadata()
        for (name, value) in headers where name.lowercased().hasPrefix(prefix) {
            metadata[String(name.dropFirst(prefix.count))] = value
        }
        return metadata
    }
}

/// A value that writes its own canonical JSON, byte for byte what ``CanonicalJSON/encode(_:)`` writes for it.
///
/// Content hashes of 10,000 jobs spent half their time in the generic encoder's boxing, dynamic casts and key
/// sorting; the hashed model types write themselves straight into one buffer, keys already in UTF-8 order.
/// `CanonicalJSONWriterTests` holds the two encoders equal on varied values.
package protocol CanonicalJSONWritable: Encodable {
    /// Appends the value's canonical JSON.
    ///
    /// - Parameter writer: The buffer being written.
    /// - Throws: `EncodingError.invalidValue` for a non-finite floating-point number.
    func write(to writer: inout CanonicalJSONWriter) throws
}

extension CanonicalJSON {
    /// The value's canonical JSON through its hand-written ``CanonicalJSONWritable`` form.
    ///
    /// - Parameter value: The value to encode.
    /// - Returns: The same bytes ``encode(_:)`` returns for it.
    /// - Throws: `EncodingError.invalidValue` for a non-finite floating-point number.
    package static func write(_ value: some CanonicalJSONWritable) throws -> [UInt8] {
        var writer = CanonicalJSONWriter()
        try value.write(to: &writer)
        return writer.bytes
    }
}

/// An output buffer of canonical JSON: sorted keys, no whitespace, `/` unescaped.
///
/// Callers write object keys in UTF-8 order themselves; the writer tracks the commas.
package struct CanonicalJSONWriter {
    /// The JSON written so far.
    package private(set) var bytes: [UInt8] = []
    /// Whether the innermost open object or array has no member yet.
    private var isFirstMember = true

    /// Creates an empty writer.
    package init() { bytes.reserveCapacity(512) }

    /// Writes an object whose members `body` writes.
    ///
    /// - Parameter body: Writes the members with ``key(_:)`` and a value each.
    /// - Throws: What `body` throws.
    package mutating func object(_ body: (inout CanonicalJSONWriter) throws -> Void) rethrows {
        bytes.append(UInt8(ascii: "{"))
        let outer = isFirstMember
        isFirstMember = true
        try body(&self)
        isFirstMember = outer
        bytes.append(UInt8(ascii: "}"))
    }

    /// Writes a member's key (and the comma before it); its value must follow.
    ///
    /// - Parameter key: The key, already in order.
    package mutating func key(_ key: String) {
        if !isFirstMember { bytes.append(UInt8(ascii: ",")) }
        isFirstMember = false
        CanonicalString.append(key, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
    }

    /// Writes a string.
    ///
    /// - Parameter value: The string.
    package mutating func string(_ value: String) { CanonicalString.append(value, to: &bytes) }

    /// Writes a Boolean.
    ///
    /// - Parameter value: The Boolean.
    package mutating func bool(_ value: Bool) { bytes.append(contentsOf: (value ? "true" : "false").utf8) }

    /// Writes an integer.
    ///
    /// - Parameter value: The integer.
    package mutating func int(_ value: Int) { bytes.append(contentsOf: String(value).utf8) }

    /// Writes a floating-point number as `JSONEncoder` does: its shortest description without a trailing `.0`.
    ///
    /// - Parameter value: The number.
    /// - Throws: `EncodingError.invalidValue` when it is not finite.
    package mutating func double(_ value: Double) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(
                value,
                .init(codingPath: [], debugDescription: "\(value) is not representable in JSON")
            )
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes.append(contentsOf: text.utf8)
    }

    /// Writes an array of strings.
    ///
    /// - Parameter values: The strings, in order.
    package mutating func strings(_ values: [String]) {
        bytes.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            CanonicalString.append(value, to: &bytes)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// Writes a string-keyed table of strings as an object, keys in UTF-8 order.
    ///
    /// - Parameter table: The table.
    package mutating func strings(_ table: [String: String]) {
        object { writer in
            for (key, value) in table.sorted(by: { UTF8Order.precedes($0.key, $1.key) }) {
                writer.key(key)
                writer.string(value)
            }
        }
    }

    /// Writes an array whose elements `body` writes, one call per element.
    ///
    /// - Parameters:
    ///   - values: The elements.
    ///   - body: Writes one element.
    /// - Throws: What `body` throws.
    package mutating func array<Element>(
        _ values: [Element],
        _ body: (inout CanonicalJSONWriter, Element) throws -> Void
    ) rethrows {
        bytes.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            try body(&self, value)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// Writes any encodable value through the generic ``CanonicalJSON/encode(_:)`` (for rare members).
    ///
    /// - Parameter value: The value.
    /// - Throws: What the generic encoder throws.
    package mutating func encoded(_ value: some Encodable) throws {
        bytes.append(contentsOf: try CanonicalJSON.encode(value))
    }
}

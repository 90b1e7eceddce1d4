/// Sorted-key JSON for content hashes, written by a small encoder of our own.
///
/// Coding paths are not tracked (nothing reads them, and building one array per field was a fifth of its time).
///
/// The output is byte-for-byte what Foundation's `JSONEncoder` with `[.sortedKeys, .withoutEscapingSlashes]` writes
/// for the plan's value types (a test holds the two equal on every shipped workflow and on generated strings), so
/// hashes recorded by earlier builds still match. It exists because `JSONEncoder` spent a third of the time of
/// planning 10,000 jobs boxing values and sorting keys through `NSString`-style machinery.
package enum CanonicalJSON {
    /// The value's JSON bytes, keys in UTF-8 order, no whitespace, `/` unescaped.
    ///
    /// - Throws: `EncodingError.invalidValue` for a non-finite floating-point number, as `JSONEncoder` does.
    package static func encode(_ value: some Encodable) throws -> [UInt8] {
        let root = Slot()
        try TreeEncoder.store(value, in: root, codingPath: [])
        var output: [UInt8] = []
        output.reserveCapacity(512)
        root.write(to: &output)
        return output
    }
}

/// One value in the tree being built: a finished literal or a container still being filled.
private final class Slot {
    enum Value {
        case unset
        case literal([UInt8])
        case object(ObjectNode)
        case array(ArrayNode)
    }

    var value: Value = .unset

    func write(to output: inout [UInt8]) {
        switch value {
        case .unset:
            output.append(contentsOf: "{}".utf8)
        case .literal(let bytes):
            output.append(contentsOf: bytes)
        case .object(let object):
            output.append(UInt8(ascii: "{"))
            let sorted = object.entries.sorted { UTF8Order.precedes($0.key, $1.key) }
            for (index, entry) in sorted.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                CanonicalString.append(entry.key, to: &output)
                output.append(UInt8(ascii: ":"))
                entry.value.write(to: &output)
            }
            output.append(UInt8(ascii: "}"))
        case .array(let array):
            output.append(UInt8(ascii: "["))
            for (index, item) in array.items.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                item.write(to: &output)
            }
            output.append(UInt8(ascii: "]"))
        }
    }
}

private final class ObjectNode {
    var entries: [String: Slot] = [:]
}

private final class ArrayNode {
    var items: [Slot] = []
}

/// JSON string literals as `JSONEncoder` writes them: `"` and `\` escaped, the short escapes for control characters
/// that have one, `\u00xx` for the rest, everything else (including non-ASCII) as UTF-8.
enum CanonicalString {
    private static let hex = Array("0123456789abcdef".utf8)

    static func append(_ string: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        // Most strings need no escape: copied whole.
        let plain = string.utf8.withContiguousStorageIfAvailable { bytes in
            guard !bytes.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") })
            else { return false }
            output.append(contentsOf: bytes)
            return true
        }
        if plain == true {
            output.append(UInt8(ascii: "\""))
            return
        }
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x08: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x0A: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                output.append(contentsOf: Array("\\u00".utf8))
                output.append(hex[Int(byte >> 4)])
                output.append(hex[Int(byte & 0x0F)])
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    static func literal(_ string: String) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(string.utf8.count + 2)
        append(string, to: &output)
        return output
    }
}

private struct TreeEncoder: Encoder {
    let slot: Slot
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    /// Stores a value in a slot: scalars directly, everything else through its `encode(to:)`.
    static func store<T: Encodable>(_ value: T, in slot: Slot, codingPath: [any CodingKey]) throws {
        switch value {
        case let string as String: slot.value = .literal(CanonicalString.literal(string))
        case let bool as Bool: slot.value = .literal(Array((bool ? "true" : "false").utf8))
        case let int as Int: slot.value = .literal(Array(String(int).utf8))
        case let double as Double: slot.value = .literal(try number(double, codingPath: codingPath))
        case let float as Float: slot.value = .literal(try number(float, codingPath: codingPath))
        case let integer as any BinaryInteger: slot.value = .literal(Array(String(describing: integer).utf8))
        default: try value.encode(to: TreeEncoder(slot: slot, codingPath: codingPath))
        }
    }

    /// A floating-point number as `JSONEncoder` writes it: its shortest description without a trailing `.0`.
    static func number(_ value: some BinaryFloatingPoint & LosslessStringConvertible, codingPath: [any CodingKey])
        throws -> [UInt8]
    {
        guard value.isFinite else {
            throw EncodingError.invalidValue(
                value,
                .init(codingPath: codingPath, debugDescription: "\(value) is not representable in JSON")
            )
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        return Array(text.utf8)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let object: ObjectNode
        if case .object(let existing) = slot.value {
            object = existing
        } else {
            object = ObjectNode()
            slot.value = .object(object)
        }
        return KeyedEncodingContainer(KeyedContainer<Key>(object: object, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let array: ArrayNode
        if case .array(let existing) = slot.value {
            array = existing
        } else {
            array = ArrayNode()
            slot.value = .array(array)
        }
        return UnkeyedContainer(array: array, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleContainer(slot: slot, codingPath: codingPath)
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let object: ObjectNode
    let codingPath: [any CodingKey]

    private func slot(for key: Key) -> Slot {
        let slot = Slot()
        object.entries[key.stringValue] = slot
        return slot
    }

    mutating func encodeNil(forKey key: Key) throws { slot(for: key).value = .literal(Array("null".utf8)) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try put(value, key) }

    private func put<T: Encodable>(_ value: T, _ key: Key) throws {
        try TreeEncoder.store(value, in: slot(for: key), codingPath: [])
    }

    mutating func encode(_ value: Bool, forKey key: Key) throws { try put(value, key) }
    mutating func encode(_ value: String, forKey key: Key) throws { try put(value, key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { try put(value, key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { try put(value, key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { try put(value, key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try put(value, key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try put(value, key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try put(value, key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try put(value, key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try put(value, key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try put(value, key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try put(value, key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try put(value, key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try put(value, key) }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type,
        forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        TreeEncoder(slot: slot(for: key), codingPath: []).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        TreeEncoder(slot: slot(for: key), codingPath: []).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        // JSONEncoder files the superclass under "super"; a key type that cannot spell it gets a slot of its own.
        TreeEncoder(slot: Key(stringValue: "super").map(slot(for:)) ?? Slot(), codingPath: codingPath)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        TreeEncoder(slot: slot(for: key), codingPath: [])
    }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer, SlotWriting {
    let array: ArrayNode
    let codingPath: [any CodingKey]
    var count: Int { array.items.count }

    private func append() -> Slot {
        let slot = Slot()
        array.items.append(slot)
        return slot
    }

    mutating func nextSlot() -> Slot { append() }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
        -> KeyedEncodingContainer<NestedKey>
    {
        TreeEncoder(slot: append(), codingPath: codingPath).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        TreeEncoder(slot: append(), codingPath: codingPath).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { TreeEncoder(slot: append(), codingPath: codingPath) }
}

private struct SingleContainer: SingleValueEncodingContainer, SlotWriting {
    let slot: Slot
    let codingPath: [any CodingKey]

    func nextSlot() -> Slot { slot }
}

/// The value-writing half shared by the unkeyed and single-value containers.
///
/// Each value goes into the slot ``nextSlot()`` gives (a new array element, or the one slot). The typed overloads the protocols require all
/// route to ``TreeEncoder/store(_:in:codingPath:)``, which handles every scalar.
private protocol SlotWriting {
    mutating func nextSlot() -> Slot
}

extension SlotWriting {
    mutating func encodeNil() throws { nextSlot().value = .literal(Array("null".utf8)) }
    mutating func encode<T: Encodable>(_ value: T) throws { try put(value) }

    private mutating func put<T: Encodable>(_ value: T) throws {
        try TreeEncoder.store(value, in: nextSlot(), codingPath: [])
    }
    mutating func encode(_ value: Bool) throws { try put(value) }
    mutating func encode(_ value: String) throws { try put(value) }
    mutating func encode(_ value: Double) throws { try put(value) }
    mutating func encode(_ value: Float) throws { try put(value) }
    mutating func encode(_ value: Int) throws { try put(value) }
    mutating func encode(_ value: Int8) throws { try put(value) }
    mutating func encode(_ value: Int16) throws { try put(value) }
    mutating func encode(_ value: Int32) throws { try put(value) }
    mutating func encode(_ value: Int64) throws { try put(value) }
    mutating func encode(_ value: UInt) throws { try put(value) }
    mutating func encode(_ value: UInt8) throws { try put(value) }
    mutating func encode(_ value: UInt16) throws { try put(value) }
    mutating func encode(_ value: UInt32) throws { try put(value) }
    mutating func encode(_ value: UInt64) throws { try put(value) }
}

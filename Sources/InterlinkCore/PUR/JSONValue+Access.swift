import Foundation

extension JSONValue {
    /// Parses a UTF-8 JSON text.
    ///
    /// - Parameter bytes: The UTF-8 bytes, such as a request body.
    /// - Returns: The value, or `nil` when the text is not JSON.
    package static func parse(_ bytes: [UInt8]) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: Data(bytes))
    }

    /// The string, or `nil` for another kind.
    package var string: String? { if case .string(let value) = self { value } else { nil } }
    /// The number, or `nil` for another kind.
    package var number: Double? { if case .number(let value) = self { value } else { nil } }
    /// The integer value of a whole number below 10^15 in magnitude, or `nil`.
    package var int: Int? { number.flatMap { $0 == $0.rounded() && abs($0) < 1e15 ? Int($0) : nil } }
    /// The Boolean, or `nil` for another kind.
    package var bool: Bool? { if case .bool(let value) = self { value } else { nil } }
    /// The array, or `nil` for another kind.
    package var array: [JSONValue]? { if case .array(let value) = self { value } else { nil } }
    /// The object, or `nil` for another kind.
    package var object: [String: JSONValue]? { if case .object(let value) = self { value } else { nil } }

    /// The member of an object, or `nil` for a missing key or another kind.
    package subscript(key: String) -> JSONValue? { object?[key] }
}

extension JSONValue: ExpressibleByStringInterpolation, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    /// An interpolated string literal.
    package init(stringInterpolation: DefaultStringInterpolation) {
        self = .string(String(stringInterpolation: stringInterpolation))
    }
    /// A string literal.
    package init(stringLiteral value: String) { self = .string(value) }
    /// An integer literal.
    package init(integerLiteral value: Int) { self = .number(Double(value)) }
    /// A Boolean literal.
    package init(booleanLiteral value: Bool) { self = .bool(value) }
    /// An array literal.
    package init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    /// An object literal; a repeated key keeps its last value.
    package init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements) { _, last in last })
    }
    /// `null`.
    package init(nilLiteral: ()) { self = .null }
}

import Foundation
import InterlinkCore

/// JSON text embedded verbatim in an encoded body (license settings as a script directive gives them).
package struct RawJSON: Encodable, Hashable, Sendable {
    /// The parsed value.
    package var value: JSONValue

    /// Parses JSON text.
    ///
    /// - Returns: nil when the text is not JSON.
    package init?(text: String) {
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) else { return nil }
        self.value = value
    }

    /// Encodes the parsed value.
    package func encode(to encoder: any Encoder) throws { try Self.encode(value, to: encoder) }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    private struct Element: Encodable {
        var value: JSONValue
        func encode(to encoder: any Encoder) throws { try RawJSON.encode(value, to: encoder) }
    }

    private static func encode(_ value: JSONValue, to encoder: any Encoder) throws {
        switch value {
        case .array(let items):
            var container = encoder.unkeyedContainer()
            for item in items { try container.encode(Element(value: item)) }
        case .object(let members):
            var container = encoder.container(keyedBy: Key.self)
            for (name, member) in members {
                try container.encode(Element(value: member), forKey: Key(stringValue: name))
            }
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .bool(let flag):
            var container = encoder.singleValueContainer()
            try container.encode(flag)
        case .number(let number):
            var container = encoder.singleValueContainer()
            if number == number.rounded(), abs(number) < 1e15 {
                try container.encode(Int64(number))
            } else {
                try container.encode(number)
            }
        case .string(let text):
            var container = encoder.singleValueContainer()
            try container.encode(text)
        }
    }
}

import Foundation

/// Any JSON value, for reading free-form JSON such as a jobs CSV's `LicenseSettings`.
package enum JSONValue: Hashable, Sendable, Decodable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Decodes any JSON value.
    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([String: JSONValue].self) {
            self = .object(value)
        } else {
            self = .array(try container.decode([JSONValue].self))
        }
    }

    /// Parses JSON text.
    ///
    /// - Parameter text: The JSON text.
    /// - Returns: The value, or nil when the text is not JSON.
    package static func parse(_ text: String) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    /// The value as an environment variable's text: strings as they are, numbers in their shortest form,
    /// booleans as `true`/`false`, null as empty, arrays and objects as compact JSON with sorted keys.
    package var environmentText: String {
        switch self {
        case .null: ""
        case .string(let text): text
        default: compactJSON
        }
    }

    /// Compact JSON with sorted object keys and no insignificant whitespace.
    package var compactJSON: String {
        switch self {
        case .null: "null"
        case .bool(let value): value ? "true" : "false"
        case .number(let value): Self.format(value)
        case .string(let text): Self.quote(text)
        case .array(let items): "[" + items.map(\.compactJSON).joined(separator: ",") + "]"
        case .object(let members):
            "{"
                + members.keys.sorted().map { Self.quote($0) + ":" + (members[$0] ?? .null).compactJSON }
                .joined(separator: ",") + "}"
        }
    }

    /// A JSON string literal.
    ///
    /// - Parameter text: The string's contents.
    /// - Returns: The quoted, escaped literal.
    package static func quote(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// The shortest decimal that reads back to `value`, written as JSON writers do.
    ///
    /// Plain digits from 1e-6 up to 1e21 (`27000`, `1.5`), exponent form outside that range (`1e+21`, `1e-7`).
    ///
    /// - Parameter value: A finite number.
    /// - Returns: The number's text.
    package static func format(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == 0 { return "0" }
        let magnitude = abs(value)
        let sign = value < 0 ? "-" : ""
        let (digits, exponent) = decimalDigits(of: magnitude)
        if magnitude >= 1e21 || magnitude < 1e-6 {
            let mantissa = digits.count > 1 ? "\(digits.prefix(1)).\(digits.dropFirst())" : digits
            let power = exponent - 1
            return sign + mantissa + "e" + (power < 0 ? "-" : "+") + "\(abs(power))"
        }
        if exponent <= 0 { return sign + "0." + String(repeating: "0", count: -exponent) + digits }
        if exponent >= digits.count { return sign + digits + String(repeating: "0", count: exponent - digits.count) }
        return sign + digits.prefix(exponent) + "." + digits.dropFirst(exponent)
    }

    /// The shortest round-trip significant digits of a positive number and the position of the decimal point
    /// (value = 0.DIGITS × 10^exponent).
    private static func decimalDigits(of value: Double) -> (digits: String, exponent: Int) {
        let text = "\(value)"
        let parts = text.split(separator: "e", maxSplits: 1)
        let power = parts.count == 2 ? Int(parts[1]) ?? 0 : 0
        let mantissa = parts[0]
        let pieces = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        let whole = String(pieces[0])
        let fraction = pieces.count > 1 ? String(pieces[1]) : ""
        var digits = whole + fraction
        var exponent = whole.count + power
        while digits.hasPrefix("0"), digits.count > 1 {
            digits.removeFirst()
            exponent -= 1
        }
        while digits.hasSuffix("0"), digits.count > 1 { digits.removeLast() }
        return (digits, exponent)
    }
}

import InterlinkCore

/// The expected shape of a request body, checked strictly: unknown fields, missing required fields and wrong types
/// are all reported, in the nested Django REST Framework error format (`{"field": ["message"]}`).
package indirect enum JSONShape: Sendable {
    /// Any JSON string.
    case string
    /// A non-empty string.
    case nonEmptyString
    /// A whole number at least `minimum`.
    case int(minimum: Int)
    /// A Boolean.
    case bool
    /// Anything at all (opaque values the platform accepts).
    case any
    /// The shape, or `null`.
    case nullable(JSONShape)
    /// An array of at least `minimumCount` elements of one shape.
    case array(JSONShape, minimumCount: Int)
    /// An object with arbitrary keys whose values share one shape.
    case map(JSONShape)
    /// An object with exactly these fields; `true` marks a required field.
    case object([String: (JSONShape, isRequired: Bool)])

    /// Checks a value.
    ///
    /// - Parameter value: The parsed body or member.
    /// - Returns: `nil` when valid, else the DRF error value (a list of messages, an object map or a list of maps).
    package func errors(in value: JSONValue) -> JSONValue? {
        switch (self, value) {
        case (.any, _), (.nullable, .null): return nil
        case (.nullable(let inner), _): return inner.errors(in: value)
        case (.string, .string): return nil
        case (.nonEmptyString, .string(let text)): return text.isEmpty ? ["this field may not be blank"] : nil
        case (.int(let minimum), .number):
            guard let number = value.int else { return ["a valid integer is required"] }
            return number < minimum ? .array([.string("ensure this value is at least \(minimum)")]) : nil
        case (.bool, .bool): return nil
        case (.array(let element, let minimumCount), .array(let items)):
            if items.count < minimumCount {
                return .array([.string("ensure this list has at least \(minimumCount) element(s)")])
            }
            let nested = items.map { element.errors(in: $0) }
            return nested.allSatisfy({ $0 == nil }) ? nil : .array(nested.map { $0 ?? [:] })
        case (.map(let element), .object(let members)):
            var problems: [String: JSONValue] = [:]
            for (key, member) in members { problems[key] = element.errors(in: member) }
            return problems.isEmpty ? nil : .object(problems)
        case (.object(let fields), .object(let members)):
            var problems: [String: JSONValue] = [:]
            for key in members.keys where fields[key] == nil { problems[key] = ["unknown field '\(key)'"] }
            for (key, field) in fields {
                if let member = members[key] {
                    problems[key] = field.0.errors(in: member)
                } else if field.isRequired {
                    problems[key] = ["this field is required"]
                }
            }
            return problems.isEmpty ? nil : .object(problems)
        default: return .array([.string("expected \(expectation), got \(Self.kind(of: value))")])
        }
    }

    private var expectation: String {
        switch self {
        case .string, .nonEmptyString: "a string"
        case .int: "an integer"
        case .bool: "a boolean"
        case .any: "any value"
        case .nullable(let inner): "\(inner.expectation) or null"
        case .array: "a list"
        case .map, .object: "an object"
        }
    }

    private static func kind(of value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "a list"
        case .object: "an object"
        }
    }
}

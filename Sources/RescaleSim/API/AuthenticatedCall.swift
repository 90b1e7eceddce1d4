import Foundation
import Hummingbird
import InterlinkCore

/// One authenticated API call: who made it, what it addressed, and the means to read its body and build links.
struct AuthenticatedCall {
    /// The HTTP method.
    let method: String
    /// Path segments after `/api/`, such as `["v3", "jobs", "tqmdnn", "statuses"]`.
    let segments: [String]
    /// Decoded query items in order.
    let query: [(String, String)]
    /// The caller.
    let user: SimConfiguration.User
    /// `http://host:port` as the client addressed the server, for absolute `next` links.
    let origin: String
    /// The raw body.
    let body: [UInt8]

    /// The first value of a query parameter.
    func parameter(_ name: String) -> String? { query.first { $0.0 == name }?.1 }

    /// The body parsed and checked against a shape; an empty body counts as a missing object.
    ///
    /// - Throws: ``ErrorResponse`` with a 400 naming every bad field, or a parse error.
    func json(matching shape: JSONShape) throws(ErrorResponse) -> JSONValue {
        guard let value = JSONValue.parse(body) else {
            throw ErrorResponse.invalid(["detail": "JSON parse error - the body is not valid JSON"])
        }
        if let errors = shape.errors(in: value) {
            if case .array = errors { throw ErrorResponse.invalid(["non_field_errors": errors]) }
            throw ErrorResponse.invalid(errors)
        }
        return value
    }

    /// Whether the body is empty or only whitespace.
    var hasNoBody: Bool { body.allSatisfy { $0 == 32 || $0 == 10 || $0 == 13 || $0 == 9 } }
}

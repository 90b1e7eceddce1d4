import Foundation

/// How a call may be repeated after a failure whose effect is unknown.
package enum APIRetryClass: String, Hashable, Sendable {
    /// GETs, credentials, DELETEs, moves: retried with backoff on transport errors, 429 and 5xx (except 501).
    case safe
    /// Register, folder create, tags, project assignment, stop: only 429 is retried; other doubt is reported as
    /// `needs-reconcile` so the caller looks before trying again.
    case reconcile
    /// Job create and submit: only 429 is retried; never repeated blindly.
    case once
}

/// One logical API call.
package struct APIRequest: Sendable {
    /// `GET`, `POST`, `PATCH`, `DELETE`.
    package var method: String
    /// The path from `/api/` on, ending in `/` before any query.
    package var path: String
    /// The JSON body, if any.
    package var body: Data?
    /// How it may be retried.
    package var retryClass: APIRetryClass
    /// The time all attempts and waits may take together.
    package var deadline: Duration
    /// Status codes that count as success; any 2xx when nil.
    package var accepted: Set<Int>?

    /// Creates a request.
    package init(
        _ method: String,
        _ path: String,
        body: Data? = nil,
        retryClass: APIRetryClass,
        deadline: Duration = .seconds(30),
        accepted: Set<Int>? = nil
    ) {
        precondition(path.hasPrefix("/api/"), "API paths start with /api/")
        self.method = method
        self.path = path
        self.body = body
        self.retryClass = retryClass
        self.deadline = deadline
        self.accepted = accepted
    }

    /// The rate-limit scope of this request.
    package var scope: APIScope { APIScope.of(method: method, path: path) }
}

/// A response with its whole body.
package struct APIResponse: Sendable {
    /// The HTTP status.
    package var status: Int
    /// The headers in wire order.
    package var headers: [(String, String)]
    /// The body.
    package var body: Data

    /// Creates a response.
    package init(status: Int, headers: [(String, String)], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of a header, matched case-insensitively.
    package func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }
}

/// What the engine may do after a platform call failed.
package enum RetryClass: String, Hashable, Sendable, Codable {
    /// Nothing happened remotely, or repeating is harmless: retry with backoff.
    case retryable
    /// The call may have taken effect (a lost response): look the result up by its idempotency key before any
    /// retry. Job create and submit always fail this way on timeouts, connection loss and 5xx.
    case needsReconcile = "needs-reconcile"
    /// Retrying cannot help (a 4xx, bad input, a checksum mismatch that repeats): the stage fails.
    case fatal
    /// The credentials are missing, expired or refused: the whole run stops; the user must act.
    case credential
}

/// A failed platform call, with how to proceed and text for the user.
package struct PlatformError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    package enum Reason: Hashable, Sendable {
        /// The connection failed, timed out or was reset; the request may or may not have arrived.
        case transport(String)
        /// The platform asked to slow down (HTTP 429).
        case rateLimited
        /// The platform answered with a server error (5xx).
        case server(status: Int, message: String)
        /// The platform refused the request (4xx other than 401, 403, 404 and 429).
        case rejected(status: Int, message: String)
        /// The thing asked about does not exist.
        case notFound(String)
        /// The credentials were refused or are missing.
        case unauthorized(String)
        /// Storage failed (bucket, container, object or part).
        case storage(String)
        /// A transferred file did not match its size or checksum.
        case verification(String)
        /// A local file could not be read or written.
        case localFile(path: String, message: String)
    }

    /// What went wrong.
    package var reason: Reason
    /// What the engine may do next.
    package var retryClass: RetryClass
    /// How long the platform asked to wait before the next attempt (`Retry-After`), if it said.
    package var retryAfter: Duration?
    /// A specific next step that replaces the retry class's generic ``help`` (such as "run `rescale-int config
    /// init`" after a refused key); nil keeps the generic text.
    package var suggestion: String?

    /// Creates an error; the retry class defaults to what the reason usually means for a safe (GET-like) call.
    ///
    /// - Parameters:
    ///   - reason: What went wrong.
    ///   - retryClass: How to proceed; platforms pass ``RetryClass/needsReconcile`` for create, submit and
    ///     register failures whose effect is unknown.
    ///   - retryAfter: The platform's requested wait, if any.
    package init(_ reason: Reason, retryClass: RetryClass? = nil, retryAfter: Duration? = nil) {
        self.reason = reason
        self.retryClass = retryClass ?? Self.defaultClass(of: reason)
        self.retryAfter = retryAfter
        self.suggestion = nil
    }

    /// The class a reason has for a call that is safe to repeat.
    package static func defaultClass(of reason: Reason) -> RetryClass {
        switch reason {
        case .transport, .rateLimited, .server, .storage, .verification: .retryable
        case .rejected, .notFound, .localFile: .fatal
        case .unauthorized: .credential
        }
    }

    /// Whether no response came back (the platform unreachable, a timeout, a reset connection).
    package var isTransport: Bool {
        if case .transport = reason { return true }
        return false
    }

    /// One lowercase line saying what went wrong.
    package var message: String {
        switch reason {
        case .transport(let detail): "connection to the platform failed: \(detail)"
        case .rateLimited: "the platform is rate limiting requests"
        case .server(let status, let message): "the platform failed with status \(status): \(message)"
        case .rejected(let status, let message): "the platform rejected the request with status \(status): \(message)"
        case .notFound(let what): "'\(what)' was not found on the platform"
        case .unauthorized(let detail): "the platform refused the credentials: \(detail)"
        case .storage(let detail): "storage failed: \(detail)"
        case .verification(let detail): "verification failed: \(detail)"
        case .localFile(let path, let message): "'\(path)': \(message)"
        }
    }

    /// What the user can do about it (never nil: every platform failure has a next step).
    package var help: String? {
        if let suggestion { return suggestion }
        return switch retryClass {
        case .retryable: "the run retries this; if it keeps failing, check the network and run 'rescale-int resume'"
        case .needsReconcile: "run 'rescale-int resume': it looks the result up before trying again"
        case .fatal: "fix the cause above, then run 'rescale-int resume'"
        case .credential: "check the API key (RESCALE_API_KEY) and its permissions, then run 'rescale-int resume'"
        }
    }

    package var description: String { "error: \(message)\n  help: \(help ?? "")" }
}

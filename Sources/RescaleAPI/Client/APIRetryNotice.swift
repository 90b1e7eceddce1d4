import InterlinkCore

/// One retry of an API call, reported as it is scheduled so the user sees an unreachable or failing platform
/// while the client waits: `platform unreachable (connection refused): retrying in 8 s, attempt 3 of 11`.
package struct APIRetryNotice: Hashable, Sendable, CustomStringConvertible {
    /// Why the call is retried.
    package enum Cause: Hashable, Sendable {
        /// No response: the platform could not be reached; the text names how (`DNS`, `connection refused`,
        /// `timeout`, `connection reset`, `connection failed`).
        case unreachable(String)
        /// The platform answered with a server error.
        case server(status: Int)
    }

    /// Why the call is retried.
    package var cause: Cause
    /// The wait before the next attempt.
    package var delay: Duration
    /// The attempt that follows the wait (2 for the first retry).
    package var nextAttempt: Int
    /// The most attempts the call makes, the first included.
    package var maxAttempts: Int

    /// Creates a notice.
    package init(cause: Cause, delay: Duration, nextAttempt: Int, maxAttempts: Int) {
        self.cause = cause
        self.delay = delay
        self.nextAttempt = nextAttempt
        self.maxAttempts = maxAttempts
    }

    /// The wait for people: `0.4 s` under ten seconds (one decimal), else whole seconds.
    package static func seconds(_ duration: Duration) -> String {
        let value = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        if value < 10 {
            let tenths = (value * 10).rounded() / 10
            return tenths == tenths.rounded() ? "\(Int(tenths)) s" : "\(tenths) s"
        }
        return "\(Int(value.rounded())) s"
    }

    package var description: String {
        let what =
            switch cause {
            case .unreachable(let how): "platform unreachable (\(how))"
            case .server(let status): "platform failed (status \(status))"
            }
        return "\(what): retrying in \(Self.seconds(delay)), attempt \(nextAttempt) of \(maxAttempts)"
    }
}

/// A server-side rate-limit scope: all endpoints in a scope share one budget.
package enum APIScope: String, Hashable, Sendable, CaseIterable {
    /// Every `/api/v3/…` call and most v2 calls: 2 rps on the server.
    case user
    /// `POST …/submit/`: about 0.28 rps on the server.
    case jobSubmission = "job-submission"
    /// `/api/v2/jobs/…` except submit (outputs, runs): 25 rps on the server.
    case jobsUsage = "jobs-usage"

    /// Resolves the scope of a request; the most specific rule wins.
    ///
    /// - Parameters:
    ///   - method: The HTTP method.
    ///   - path: The request path, possibly with a query.
    /// - Returns: The scope.
    package static func of(method: String, path: String) -> APIScope {
        if method == "POST" && path.contains("/submit/") { return .jobSubmission }
        if path.contains("/api/v2/jobs/") { return .jobsUsage }
        return .user
    }

    /// The client's target: 85 % of the server's rate in tokens per second and 85 % of its burst (rounded down).
    ///
    /// The burst keeps a margin too. The server counts a token when a request arrives, the client when it sends
    /// it, and requests do not take equal times to arrive: when the first ones of a burst are late and the paced
    /// ones behind them are not, the server sees more of them at once than the client sent. At the same burst
    /// that refuses a request where the client's bucket runs dry. The margins (23, 8 and 45 tokens) absorb that
    /// many requests sent ahead of late ones.
    package var defaultLimit: RateLimit {
        switch self {
        case .user: RateLimit(tokensPerSecond: 1.7, capacity: 127)
        case .jobSubmission: RateLimit(tokensPerSecond: 0.236, capacity: 42)
        case .jobsUsage: RateLimit(tokensPerSecond: 21.25, capacity: 255)
        }
    }
}

/// A token bucket's refill rate and size.
package struct RateLimit: Hashable, Sendable {
    /// Tokens added per second, continuously.
    package var tokensPerSecond: Double
    /// The most tokens the bucket holds (the burst); it starts full.
    package var capacity: Double

    /// Creates a limit.
    package init(tokensPerSecond: Double, capacity: Double) {
        precondition(tokensPerSecond > 0 && capacity >= 1, "a positive rate and a capacity of at least one token")
        self.tokensPerSecond = tokensPerSecond
        self.capacity = capacity
    }
}

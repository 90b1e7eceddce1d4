/// The storage retry parameters: attempts, full-jitter backoff caps, credential pause.
package struct RetryPolicy: Sendable, Equatable {
    /// The most attempts per operation, the first included.
    package var maxAttempts: Int
    /// The backoff base: retry `a` sleeps up to `base × 2^a`.
    package var base: Duration
    /// The largest backoff cap.
    package var cap: Duration
    /// The pause before retrying a credential-class failure with refreshed credentials.
    package var credentialPause: Duration

    /// The spec's values: 10 attempts, 0.2 s base, 15 s cap, 1 s credential pause.
    package static let storage = RetryPolicy(
        maxAttempts: 10,
        base: .milliseconds(200),
        cap: .seconds(15),
        credentialPause: .seconds(1)
    )

    /// Creates a policy.
    package init(maxAttempts: Int, base: Duration, cap: Duration, credentialPause: Duration) {
        precondition(maxAttempts >= 1, "at least one attempt")
        self.maxAttempts = maxAttempts
        self.base = base
        self.cap = cap
        self.credentialPause = credentialPause
    }

    /// The upper bound of the sleep before retry number `retry` (0-based): 0 for the first retry, then
    /// `min(cap, base × 2^retry)`, giving 0, 0.4, 0.8, 1.6, 3.2, 6.4, 12.8, 15, 15 s with the spec's values.
    ///
    /// - Parameter retry: The 0-based retry number.
    /// - Returns: The exclusive upper bound of the uniform sleep.
    package func backoffCap(beforeRetry retry: Int) -> Duration {
        guard retry > 0 else { return .zero }
        let factor = 1 << min(retry, 30)
        let scaled = base * factor
        return scaled < cap ? scaled : cap
    }

    /// The full-jitter sleep before a retry: uniform in `[0, backoffCap)`.
    ///
    /// - Parameters:
    ///   - retry: The 0-based retry number.
    ///   - unitRandom: A value in `[0, 1)` from the injected random source.
    /// - Returns: The sleep.
    package func backoff(beforeRetry retry: Int, unitRandom: Double) -> Duration {
        backoffCap(beforeRetry: retry) * min(max(unitRandom, 0), 0.999_999_999)
    }
}

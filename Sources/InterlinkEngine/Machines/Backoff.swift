/// Capped exponential backoff with full jitter: attempt n waits a uniform random time in [floor, ceiling] where
/// ceiling = min(cap, base × 2^(n-1)) and floor is what the platform asked for (`Retry-After`), if anything.
package struct Backoff: Hashable, Sendable {
    /// The first retry's ceiling.
    package var base: Duration
    /// The largest ceiling.
    package var cap: Duration

    /// Interlink's API parameters (1 s doubling, capped at 30 s), with jitter added.
    package static let `default` = Backoff(base: .seconds(1), cap: .seconds(30))

    /// Creates a backoff.
    package init(base: Duration, cap: Duration) {
        self.base = base
        self.cap = cap
    }

    /// The ceiling before retry number `retry` (1 for the first retry).
    package func ceiling(forRetry retry: Int) -> Duration {
        let exponent = min(max(retry - 1, 0), 30)
        let raw = base * (1 << exponent)
        return min(raw, cap)
    }

    /// The wait for a retry, given a uniform random `fraction` in [0, 1].
    package func delay(forRetry retry: Int, floor: Duration?, fraction: Double) -> Duration {
        let ceiling = ceiling(forRetry: retry)
        let low = min(floor ?? .zero, cap)
        let spread = max(ceiling - low, .zero)
        return low + spread * min(max(fraction, 0), 1)
    }
}

import Synchronization

/// Client-side token buckets, one per (base URL, key fingerprint, scope), shared by every task in the process
///.
///
/// A bucket starts full and refills continuously at its rate. Waiters are served strictly first in, first out:
/// only the head of a scope's queue sleeps for tokens; the others wait their turn. A 429 drains the bucket and
/// sets a cooldown that only ever extends; the bucket stays empty until the cooldown ends and refills only from
/// then on, so the end of a cooldown releases requests at the refill rate, never as a burst.
///
/// A waiter cancelled in the queue leaves it at once (its call ends with `CancellationError`), and the head is
/// never handed to it.
package actor RateLimiter {
    /// Identifies one bucket.
    package struct BucketKey: Hashable, Sendable {
        /// The platform base URL.
        package var baseURL: String
        /// ``APIKey/fingerprint``.
        package var keyFingerprint: String
        /// The scope.
        package var scope: APIScope

        /// Creates a key.
        package init(baseURL: String, keyFingerprint: String, scope: APIScope) {
            self.baseURL = baseURL
            self.keyFingerprint = keyFingerprint
            self.scope = scope
        }
    }

    private struct Bucket {
        var tokens: Double
        var lastRefill: Duration
        var cooldownUntil: Duration = .zero
        var isHeadBusy = false
    }

    /// A task waiting its turn: resumed with `true` when the head is handed to it, `false` when it was cancelled.
    private struct Waiter: Sendable {
        var id: UInt64
        var continuation: CheckedContinuation<Bool, Never>
    }

    /// The queues behind each bucket's head.
    ///
    /// They are in a lock, not in the actor, because a cancellation handler runs outside the actor and must take
    /// its waiter out at once.
    private final class Queues: Sendable {
        let byKey = Mutex<[BucketKey: [Waiter]]>([:])

        func withLock<T: Sendable>(_ body: (inout [BucketKey: [Waiter]]) -> T) -> T {
            byKey.withLock { body(&$0) }
        }
    }

    private let queues = Queues()
    private var nextWaiterID: UInt64 = 0

    private let clock: ElapsedClock
    private let limits: @Sendable (APIScope) -> RateLimit
    private var buckets: [BucketKey: Bucket] = [:]

    /// Creates a limiter.
    ///
    /// - Parameters:
    ///   - clock: The clock for refills and sleeps.
    ///   - limits: Each scope's rate and burst; defaults to ``APIScope/defaultLimit``.
    package init(
        clock: ElapsedClock = .continuous,
        limits: @escaping @Sendable (APIScope) -> RateLimit = { $0.defaultLimit }
    ) {
        self.clock = clock
        self.limits = limits
    }

    /// Takes one token from the bucket, waiting in line and for refills as needed.
    ///
    /// - Parameter key: The bucket.
    /// - Throws: `CancellationError` when the task is cancelled while waiting.
    package func acquire(_ key: BucketKey) async throws {
        let limit = limits(key.scope)
        if buckets[key] == nil { buckets[key] = Bucket(tokens: limit.capacity, lastRefill: clock.elapsed()) }
        if buckets[key]?.isHeadBusy == true {
            try await waitForTurn(key)
        }
        buckets[key]?.isHeadBusy = true
        defer { handOff(key) }
        while true {
            try Task.checkCancellation()
            guard var bucket = buckets[key] else { return }
            let now = clock.elapsed()
            if now < bucket.cooldownUntil {
                try await clock.sleep(bucket.cooldownUntil - now)
                continue
            }
            // After a 429 `lastRefill` lies at the cooldown's end: nothing is gained before it.
            let gained = Self.seconds(max(.zero, now - bucket.lastRefill)) * limit.tokensPerSecond
            bucket.tokens = min(limit.capacity, bucket.tokens + gained)
            bucket.lastRefill = max(now, bucket.lastRefill)
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                buckets[key] = bucket
                return
            }
            buckets[key] = bucket
            try await clock.sleep(
                .milliseconds(Int64(((1 - bucket.tokens) / limit.tokensPerSecond * 1000).rounded(.up)))
            )
        }
    }

    /// Drains the bucket after a 429 and extends its cooldown by the server's `Retry-After`.
    ///
    /// The bucket refills only from the end of the cooldown (or from now when there is none): tokens that would
    /// have accrued while the server refused us are not ours to spend, and spending them is the burst that earns the
    /// next 429.
    ///
    /// - Parameters:
    ///   - key: The bucket.
    ///   - retryAfter: The server's requested wait, if it gave one.
    package func throttled(_ key: BucketKey, retryAfter: Duration?) {
        let limit = limits(key.scope)
        var bucket = buckets[key] ?? Bucket(tokens: limit.capacity, lastRefill: clock.elapsed())
        let now = clock.elapsed()
        bucket.tokens = 0
        if let retryAfter { bucket.cooldownUntil = max(bucket.cooldownUntil, now + retryAfter) }
        bucket.lastRefill = max(now, bucket.cooldownUntil)
        buckets[key] = bucket
    }

    /// The remaining cooldown of a bucket (zero when none).
    package func cooldown(_ key: BucketKey) -> Duration {
        guard let bucket = buckets[key] else { return .zero }
        return max(.zero, bucket.cooldownUntil - clock.elapsed())
    }

    /// Whether a task is at the head of a bucket's queue (taking a token or waiting for one).
    package func isHeadBusy(_ key: BucketKey) -> Bool {
        buckets[key]?.isHeadBusy ?? false
    }

    /// How many tasks wait behind the head of a bucket.
    package func waiterCount(_ key: BucketKey) -> Int {
        queues.withLock { $0[key]?.count ?? 0 }
    }

    /// Joins the queue of a bucket whose head is busy and returns once the head is handed over.
    ///
    /// - Throws: `CancellationError` when the task is cancelled before its turn; it has then left the queue.
    private func waitForTurn(_ key: BucketKey) async throws {
        let id = nextWaiterID
        nextWaiterID += 1
        let queues = self.queues
        let isHead = await withTaskCancellationHandler {
            // The body runs on the actor before the first suspension, so no hand-off can come between the check of
            // `isHeadBusy` in `acquire` and the append.
            await withCheckedContinuation { continuation in
                let isQueued = queues.withLock { queues in
                    // Cancellation sets the flag before it runs the handler, so a cancellation that came before the
                    // append is seen here and one that comes after it finds the waiter in the queue.
                    guard !Task.isCancelled else { return false }
                    queues[key, default: []].append(Waiter(id: id, continuation: continuation))
                    return true
                }
                if !isQueued { continuation.resume(returning: false) }
            }
        } onCancel: {
            let removed = queues.withLock { queues -> Waiter? in
                guard let index = queues[key]?.firstIndex(where: { $0.id == id }) else { return nil }
                return queues[key]?.remove(at: index)
            }
            removed?.continuation.resume(returning: false)
        }
        if !isHead { throw CancellationError() }
    }

    private func handOff(_ key: BucketKey) {
        let next = queues.withLock { queues -> Waiter? in
            guard queues[key]?.isEmpty == false else { return nil }
            return queues[key]?.removeFirst()
        }
        if let next {
            next.continuation.resume(returning: true)
        } else {
            buckets[key]?.isHeadBusy = false
        }
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

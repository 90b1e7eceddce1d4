import Foundation
import Synchronization

/// Server-side throttling as the platform does it: one token bucket per (API key, scope), 429 when empty.
package final class RequestThrottle: Sendable {
    /// The throttle scopes the simulator models.
    package enum Scope: String, Sendable, Hashable, CaseIterable {
        /// All v3 endpoints and the v2 user-level ones.
        case user
        /// `POST …/submit/`.
        case jobSubmission = "job-submission"
        /// Paths containing `/api/v2/jobs/` other than submit.
        case jobsUsage = "jobs-usage"

        /// The scope of a request, most specific rule first.
        package static func of(method: String, path: String) -> Scope {
            if method == "POST", path.contains("/submit/") { return .jobSubmission }
            if path.contains("/api/v2/jobs/") { return .jobsUsage }
            return .user
        }
    }

    /// A bucket's size and refill rate.
    package struct Bucket: Sendable {
        /// Tokens per second at rate scale 1.
        package var rate: Double
        /// The burst size (the bucket starts full).
        package var capacity: Double

        /// Creates a bucket description.
        package init(rate: Double, capacity: Double) {
            self.rate = rate
            self.capacity = capacity
        }
    }

    /// The platform's limits: user 7200/h, job-submission 1000/h, jobs-usage 90000/h.
    package static let platformDefaults: [Scope: Bucket] = [
        .user: Bucket(rate: 2.0, capacity: 150),
        .jobSubmission: Bucket(rate: 1000.0 / 3600.0, capacity: 50),
        .jobsUsage: Bucket(rate: 25.0, capacity: 300),
    ]

    /// The outcome of taking a token.
    package enum Decision: Sendable, Equatable {
        /// Go ahead; `remaining` whole tokens are left.
        case allowed(remaining: Int, limit: Int)
        /// Throttled; the next token is due in `retryAfter` seconds.
        case throttled(retryAfter: Double, limit: Int)
    }

    /// What the limiter decided for one (key, scope) so far: how often the client was refused, and when each
    /// request it let through arrived.
    package struct Tally: Sendable, Equatable {
        /// Requests refused during a block (``block(key:scope:for:now:)``).
        package var blocked = 0
        /// Requests refused because the bucket was empty: the client went over its limit.
        package var overLimit = 0
        /// When each allowed request arrived, in order; the latest ``admissionLimit`` only.
        package var admissions: [ContinuousClock.Instant] = []
    }

    private struct State {
        var tokens: Double
        var lastRefill: ContinuousClock.Instant
        var blockedUntil: ContinuousClock.Instant?
        var tally = Tally()
    }

    /// How many admission instants a tally keeps (a long-running emulator must not grow without bound).
    package static let admissionLimit = 10_000

    private let buckets: [Scope: Bucket]
    private let scale: Double
    private let states = Mutex<[String: State]>([:])

    /// The limiter's decisions for a key in a scope so far.
    package func tally(key: String, scope: Scope) -> Tally {
        states.withLock { $0["\(scope.rawValue):\(key)"]?.tally ?? Tally() }
    }

    /// Refusals per scope (over all keys), as `/_sim/counts` shows them under `rateLimit`.
    package var refusals: [String: (blocked: Int, overLimit: Int)] {
        states.withLock { states in
            var result: [String: (blocked: Int, overLimit: Int)] = [:]
            for (id, state) in states {
                let scope = String(id.prefix { $0 != ":" })
                let sum = result[scope] ?? (0, 0)
                result[scope] = (sum.blocked + state.tally.blocked, sum.overLimit + state.tally.overLimit)
            }
            return result
        }
    }

    /// Creates the limiter.
    ///
    /// - Parameters:
    ///   - buckets: Per-scope rate and burst; scopes left out use the platform defaults.
    ///   - rateScale: Multiplies every refill rate.
    package init(buckets: [Scope: Bucket]?, rateScale: Double) {
        self.buckets = Self.platformDefaults.merging(buckets ?? [:]) { _, custom in custom }
        self.scale = max(rateScale, 1e-9)
    }

    /// Takes one token for a key in a scope.
    package func take(key: String, scope: Scope, now: ContinuousClock.Instant = .now) -> Decision {
        let bucket = buckets[scope] ?? Bucket(rate: 1, capacity: 1)
        let rate = bucket.rate * scale
        let limit = Int(bucket.capacity)
        return states.withLock { states in
            let id = "\(scope.rawValue):\(key)"
            var state = states[id] ?? State(tokens: bucket.capacity, lastRefill: now)
            defer { states[id] = state }
            if let until = state.blockedUntil, now < until {
                // The bucket stays empty through a block; it refills from the block's end (`lastRefill`).
                state.tally.blocked += 1
                let wait = until - now
                return .throttled(
                    retryAfter: Double(wait.components.seconds) + 1e-18 * Double(wait.components.attoseconds),
                    limit: limit
                )
            }
            let elapsed = max(.zero, now - state.lastRefill)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            state.tokens = min(bucket.capacity, state.tokens + seconds * rate)
            state.lastRefill = max(now, state.lastRefill)
            guard state.tokens >= 1 else {
                state.tally.overLimit += 1
                return .throttled(retryAfter: (1 - state.tokens) / rate, limit: limit)
            }
            state.tokens -= 1
            state.tally.admissions.append(now)
            if state.tally.admissions.count > Self.admissionLimit { state.tally.admissions.removeFirst() }
            return .allowed(remaining: Int(state.tokens), limit: limit)
        }
    }

    /// Empties a key's bucket in a scope and blocks it for a while (a scripted 429 burst).
    ///
    /// The bucket refills only from the block's end, so a client that spends a burst the moment the block ends
    /// (instead of pacing at its rate) is refused again and counted in ``Tally/overLimit``.
    ///
    /// - Parameters:
    ///   - key: The API key.
    ///   - scope: The scope.
    ///   - duration: How long every request in the scope is refused.
    ///   - now: The current instant.
    package func block(key: String, scope: Scope, for duration: Duration, now: ContinuousClock.Instant = .now) {
        states.withLock { states in
            let id = "\(scope.rawValue):\(key)"
            var state = states[id] ?? State(tokens: 0, lastRefill: now)
            state.tokens = 0
            state.blockedUntil = now + duration
            state.lastRefill = now + duration
            states[id] = state
        }
    }
}

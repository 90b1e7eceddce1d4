import InterlinkCore

/// Decides, for one step, what the runner does next: reconcile, run an attempt, wait and retry, or stop.
///
/// It holds no I/O; the runner acts on its actions and journals the results.
package struct StageMachine: Sendable {
    /// Where the step stands.
    package enum State: Hashable, Sendable {
        case idle
        case reconciling(attempt: Int)
        case running(attempt: Int)
        case waiting(attempt: Int)
        case succeeded
        case failed(reason: String)
        case interrupted
    }

    /// What happened.
    package enum Event: Hashable, Sendable {
        /// Start the step; `openIntent` is the attempt of an intent journaled without an outcome (or nil), and
        /// `previousAttempts` is the number of attempts journaled before this runner started.
        case start(openIntent: Int?, previousAttempts: Int)
        /// The reconciliation lookup answered.
        case reconciled(found: Bool)
        /// The attempt succeeded.
        case succeeded
        /// The attempt failed.
        case failed(reason: String, retryClass: RetryClass, retryAfter: Duration?)
        /// The backoff wait ended.
        case waited
        /// The run is stopping.
        case cancelled
    }

    /// What the runner does.
    package enum Action: Hashable, Sendable {
        /// Look the side effect up by its idempotency key (intent `attempt` had no outcome).
        case reconcile(attempt: Int)
        /// Run attempt `attempt` (journal its intent first).
        case run(attempt: Int)
        /// Wait, then send ``Event/waited``; the next attempt will be `attempt`.
        case wait(Duration, attempt: Int)
        /// The step is done.
        case complete
        /// The step failed for good; `stopsRun` when no other step can succeed either (credentials).
        case fail(reason: String, stopsRun: Bool)
        /// Stop here; the journal already has everything needed to resume.
        case interrupt
    }

    /// Where the step stands.
    package private(set) var state = State.idle
    /// The attempts this runner may make.
    package let maxAttempts: Int
    /// Whether an uncertain attempt is looked up before it is repeated (register, create, submit, download).
    package let reconcilesBeforeRetry: Bool
    /// The retry waits.
    package let backoff: Backoff
    /// The random source for jitter, a fraction in [0, 1]; fixed in tests.
    package let jitter: @Sendable () -> Double
    private var firstAttempt = 1
    private var lastReason = "attempt failed"

    /// Creates a machine.
    package init(
        maxAttempts: Int,
        reconcilesBeforeRetry: Bool,
        backoff: Backoff = .default,
        jitter: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }
    ) {
        self.maxAttempts = max(maxAttempts, 1)
        self.reconcilesBeforeRetry = reconcilesBeforeRetry
        self.backoff = backoff
        self.jitter = jitter
    }

    /// Handles an event and says what to do.
    package mutating func handle(_ event: Event) -> Action {
        switch (state, event) {
        case (_, .cancelled):
            if case .succeeded = state { return .complete }
            state = .interrupted
            return .interrupt
        case (.idle, .start(let open?, let previous)):
            firstAttempt = previous + 1
            if reconcilesBeforeRetry {
                state = .reconciling(attempt: open)
                return .reconcile(attempt: open)
            }
            return run(previous + 1)
        case (.idle, .start(nil, let previous)):
            firstAttempt = previous + 1
            return run(previous + 1)
        case (.reconciling, .reconciled(found: true)):
            state = .succeeded
            return .complete
        case (.reconciling(let attempt), .reconciled(found: false)):
            return attempt < firstAttempt ? run(firstAttempt) : retry(after: attempt, floor: nil)
        case (.running, .succeeded):
            state = .succeeded
            return .complete
        case (.running(let attempt), .failed(let reason, let retryClass, let retryAfter)):
            return failed(attempt: attempt, reason: reason, retryClass: retryClass, retryAfter: retryAfter)
        case (.waiting(let attempt), .waited):
            return run(attempt)
        default:
            preconditionFailure("\(event) is invalid in state \(state)")
        }
    }

    private mutating func failed(attempt: Int, reason: String, retryClass: RetryClass, retryAfter: Duration?) -> Action
    {
        lastReason = reason
        switch retryClass {
        case .credential:
            state = .failed(reason: reason)
            return .fail(reason: reason, stopsRun: true)
        case .fatal:
            state = .failed(reason: reason)
            return .fail(reason: reason, stopsRun: false)
        case .needsReconcile where reconcilesBeforeRetry:
            state = .reconciling(attempt: attempt)
            return .reconcile(attempt: attempt)
        case .needsReconcile, .retryable:
            return retry(after: attempt, floor: retryAfter)
        }
    }

    private mutating func retry(after attempt: Int, floor: Duration?) -> Action {
        let reason = lastReason
        let used = attempt - firstAttempt + 1
        guard used < maxAttempts else {
            state = .failed(reason: reason)
            return .fail(reason: reason, stopsRun: false)
        }
        state = .waiting(attempt: attempt + 1)
        return .wait(backoff.delay(forRetry: used, floor: floor, fraction: jitter()), attempt: attempt + 1)
    }

    private mutating func run(_ attempt: Int) -> Action {
        state = .running(attempt: attempt)
        return .run(attempt: attempt)
    }
}

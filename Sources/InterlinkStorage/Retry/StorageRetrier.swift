import Logging

/// Runs one storage operation with the storage retry loop: classify, back off with full jitter, refresh credentials.
///
/// Time comes from the injected clock and randomness from the injected source, so tests replay exact schedules.
package struct StorageRetrier: Sendable {
    /// The attempt and backoff parameters.
    package var policy: RetryPolicy
    /// The clock every sleep and deadline uses.
    package var clock: any Clock<Duration>
    /// A source of uniform values in `[0, 1)` for the jitter.
    package var unitRandom: @Sendable () -> Double
    /// Where attempts are logged at `.debug`.
    package var logger: Logger

    /// Creates a retrier.
    ///
    /// - Parameters:
    ///   - policy: The retry parameters; defaults to the spec's.
    ///   - clock: The clock for sleeps and deadlines.
    ///   - unitRandom: Uniform `[0, 1)` values; defaults to the system generator.
    ///   - logger: The logger for retry events.
    package init(
        policy: RetryPolicy = .storage,
        clock: any Clock<Duration> = ContinuousClock(),
        unitRandom: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        logger: Logger
    ) {
        self.policy = policy
        self.clock = clock
        self.unitRandom = unitRandom
        self.logger = logger
    }

    /// Runs `body` until it succeeds, fails fatally, runs out of attempts or of deadline.
    ///
    /// - Parameters:
    ///   - operation: What is attempted, for logs and errors.
    ///   - budget: The time all attempts and sleeps may take together; `nil` for no overall deadline.
    ///   - refreshCredentials: Forces a credential refresh after a credential-class failure.
    ///   - body: One attempt, given its 1-based number; throws ``StorageError`` to be classified.
    /// - Returns: The first successful attempt's result.
    /// - Throws: The last attempt's error, `CancellationError`, or a deadline error.
    package func run<T: Sendable>(
        _ operation: String,
        budget: Duration? = nil,
        refreshCredentials: @Sendable () async throws -> Void = {},
        _ body: (Int) async throws -> T
    ) async throws -> T {
        try await run(on: clock, operation, budget: budget, refreshCredentials: refreshCredentials, body)
    }

    private func run<C: Clock<Duration>, T: Sendable>(
        on clock: C,
        _ operation: String,
        budget: Duration?,
        refreshCredentials: @Sendable () async throws -> Void,
        _ body: (Int) async throws -> T
    ) async throws -> T {
        let deadline = budget.map { clock.now.advanced(by: $0) }
        var attempt = 1
        while true {
            try Task.checkCancellation()
            let failure: StorageError
            do {
                return try await body(attempt)
            } catch let error as StorageError {
                failure = error
            }
            guard failure.errorClass != .fatal, attempt < policy.maxAttempts else { throw failure }
            let pause =
                failure.errorClass == .credential
                ? policy.credentialPause
                : policy.backoff(beforeRetry: attempt - 1, unitRandom: unitRandom())
            if let deadline, clock.now.advanced(by: pause) > deadline {
                throw StorageError(.deadlineExceeded, operation: operation, errorClass: .fatal)
            }
            logger.debug(
                "storage.retry",
                metadata: [
                    "storage.operation": "\(operation)", "storage.attempt": "\(attempt)",
                    "storage.error": "\(failure)", "storage.pause": "\(pause)",
                ]
            )
            if pause > .zero { try await clock.sleep(for: pause) }
            if failure.errorClass == .credential {
                logger.debug(
                    "storage.credentials.refresh",
                    metadata: ["storage.operation": "\(operation)", "storage.attempt": "\(attempt)"]
                )
                try await refreshCredentials()
            }
            attempt += 1
        }
    }
}

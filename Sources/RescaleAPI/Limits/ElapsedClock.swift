/// Time as a duration since a fixed start, with a sleep: a type-erased `Clock<Duration>` the limiter and the
/// retry loop can store (tests inject a manual clock).
package struct ElapsedClock: Sendable {
    /// The time since the clock was made.
    package let elapsed: @Sendable () -> Duration
    /// Sleeps for a duration; throws `CancellationError` when the task is cancelled.
    package let sleep: @Sendable (Duration) async throws -> Void

    /// Wraps a clock.
    ///
    /// - Parameter clock: Any clock measured in `Duration`.
    package init<C: Clock<Duration>>(_ clock: C) {
        let start = clock.now
        elapsed = { start.duration(to: clock.now) }
        sleep = { duration in try await clock.sleep(for: duration) }
    }

    /// The real monotonic clock.
    package static var continuous: ElapsedClock { ElapsedClock(ContinuousClock()) }
}

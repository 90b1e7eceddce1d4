import Synchronization

/// A clock whose sleeps return at once (after a yield) while its time advances by the amount slept, recording
/// every requested wait: engine tests run backoff and polling without real time passing.
package final class TestClock: Clock, Sendable {
    /// A point on the test clock: time since its creation.
    package struct Instant: InstantProtocol, Hashable, Sendable {
        /// Time since the clock started.
        package var offset: Duration

        package func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        package func duration(to other: Instant) -> Duration { other.offset - offset }
        package static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private let state = Mutex((now: Instant(offset: .zero), sleeps: [Duration]()))

    /// Creates a clock at time zero.
    package init() {}

    package var now: Instant { state.withLock { $0.now } }
    package var minimumResolution: Duration { .nanoseconds(1) }

    /// Every wait requested, in order.
    package var sleeps: [Duration] { state.withLock { $0.sleeps } }

    package func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        try Task.checkCancellation()
        state.withLock { state in
            state.sleeps.append(max(deadline.offset - state.now.offset, .zero))
            if deadline > state.now { state.now = deadline }
        }
        await Task.yield()
        try Task.checkCancellation()
    }
}

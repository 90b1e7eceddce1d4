import Synchronization

/// The first stop request: the runner starts no new stage, lets running ones reach a journal checkpoint and
/// returns an interrupted result. (A second request is task cancellation, which stops at once.)
///
/// A wait between attempts or between polls is already at a checkpoint, so it ends as soon as a stop is requested
/// (``sleep(for:on:)``): a stop does not wait out a 30 s poll interval or a backoff. A client below the engine
/// that retries on its own schedule (the Rescale API client) finds the signal of the step it works for in
/// ``current`` and ends its own waits the same way, throwing ``StopRequested``.
package final class StopSignal: Sendable {
    /// The signal of the run whose step the current task performs (set by the engine around each attempt).
    @TaskLocal package static var current: StopSignal?

    private struct State {
        var requested = false
        var nextWaiter = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Mutex(State())

    /// Creates an unrequested signal.
    package init() {}

    /// Asks the runner to stop after the stages in flight.
    package func requestStop() {
        let waiters = state.withLock { state in
            state.requested = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Whether a stop was requested.
    package var isRequested: Bool { state.withLock { $0.requested } }

    /// Returns once a stop is requested, or once the task is cancelled.
    package func requested() async {
        let id = state.withLock { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                // A cancellation seen here came before this waiter was filed, so its handler found nothing to
                // resume: the waiter is resumed at once instead.
                let now = state.withLock { state in
                    guard !state.requested, !Task.isCancelled else { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }

    /// Sleeps for `duration` on `clock`, or until a stop is requested if that comes first.
    ///
    /// - Throws: `CancellationError` when the task is cancelled meanwhile.
    package func sleep(for duration: Duration, on clock: any Clock<Duration>) async throws {
        _ = try await wait { try await clock.sleep(for: duration) }
    }

    /// Runs `sleep` (a wait that ends early only when cancelled) until it returns or a stop is requested.
    ///
    /// - Parameter sleep: The wait; cancelled when the stop comes first.
    /// - Returns: Whether a stop was requested before the wait ended (or before it began).
    /// - Throws: `CancellationError` when the task is cancelled meanwhile.
    package func wait(_ sleep: @escaping @Sendable () async throws -> Void) async throws -> Bool {
        guard !isRequested else { return true }
        // Two structured children, the wait and the stop waiter: the first to end decides, the other is cancelled
        // and both are drained before this returns. Neither throws: the wait ends early only by cancellation,
        // which the check below reports.
        let stopped = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                try? await sleep()
                return false
            }
            group.addTask {
                await self.requested()
                return true
            }
            let first = await group.next() ?? false
            group.cancelAll()
            await group.waitForAll()
            return first
        }
        try Task.checkCancellation()
        return stopped || isRequested
    }
}

/// Thrown by a step's work (a poll loop, an API call waiting to retry) when a stop was requested: the work ends
/// without an outcome, at a point a resumed run can continue from (its intent is reconciled or run again).
package struct StopRequested: Error, Sendable {
    /// Creates the error.
    package init() {}
}

import Synchronization

/// The first stop request: the runner starts no new stage, lets running ones reach a journal checkpoint and
/// returns an interrupted result. (A second request is task cancellation, which stops at once.)
///
/// A wait between attempts or between polls is already at a checkpoint, so it ends as soon as a stop is requested
/// (``sleep(for:on:)``): a stop does not wait out a 30 s poll interval or a backoff.
package final class StopSignal: Sendable {
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
        guard !isRequested else { return }
        // Neither child throws: the sleep ends early only by cancellation, which the check below reports.
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await clock.sleep(for: duration) }
            group.addTask { await self.requested() }
            await group.next()
            group.cancelAll()
            await group.waitForAll()
        }
        try Task.checkCancellation()
    }
}

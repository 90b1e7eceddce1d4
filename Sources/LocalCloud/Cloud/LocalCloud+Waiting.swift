import InterlinkCore
import Synchronization

extension LocalCloud {
    /// Waits until the job is terminal, durably so, or `limit` has passed, and returns its status then.
    ///
    /// The job's end wakes the wait at once (after the commit that makes it durable), so a client neither asks
    /// about a queued job every few milliseconds nor hears of an end one poll interval late. An end recorded by
    /// another process is seen when the limit passes.
    ///
    /// - Parameters:
    ///   - id: The job.
    ///   - limit: The longest wait.
    /// - Returns: The job's status when it ended or when the limit passed (also when the task was cancelled).
    /// - Throws: ``LocalCloudError/notFound(_:)`` for an unknown job, or an I/O error reading the records.
    package func waitForEnd(of id: JobID, upTo limit: Duration) async throws(LocalCloudError) -> JobStatus {
        let current = try status(of: id)
        guard !current.isTerminal, limit > .zero, !Task.isCancelled else { return current }
        let waiter = EndWaiter()
        endWaiters[id, default: []].append(waiter)
        await waiter.wait(upTo: limit)
        endWaiters[id]?.removeAll { $0 === waiter }
        if endWaiters[id]?.isEmpty == true { endWaiters[id] = nil }
        return try status(of: id)
    }

    /// How many waits for jobs' ends are pending (tests of the wake-up).
    package var endWaitCount: Int { endWaiters.values.reduce(0) { $0 + $1.count } }

    /// Wakes every wait for the end of these jobs.
    ///
    /// - Parameter ids: Jobs whose terminal records are durable.
    func wakeEndWaiters(_ ids: Set<JobID>) {
        for id in ids {
            for waiter in endWaiters.removeValue(forKey: id) ?? [] { waiter.resume() }
        }
    }
}

/// One wait for a job's end: resumed once, by the end, its time limit or the task's cancellation, whichever comes
/// first.
final class EndWaiter: Sendable {
    private enum State {
        case idle
        case waiting(CheckedContinuation<Void, Never>)
        case done
    }

    private let state = Mutex(State.idle)

    /// Suspends until ``resume()`` is called, `limit` has passed or the task is cancelled.
    ///
    /// - Parameter limit: The longest wait.
    func wait(upTo limit: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                try? await Task.sleep(for: limit)
                self.resume()
            }
            await withTaskCancellationHandler {
                await withCheckedContinuation { continuation in
                    let installed = state.withLock { state -> Bool in
                        guard case .idle = state else { return false }
                        state = .waiting(continuation)
                        return true
                    }
                    // Resumed before it waited: the end came first.
                    if !installed { continuation.resume() }
                }
            } onCancel: {
                self.resume()
            }
            group.cancelAll()
        }
    }

    /// Ends the wait (or the next one, if it has not begun); later calls do nothing.
    func resume() {
        let continuation = state.withLock { state -> CheckedContinuation<Void, Never>? in
            defer { state = .done }
            if case .waiting(let continuation) = state { return continuation }
            return nil
        }
        continuation?.resume()
    }
}

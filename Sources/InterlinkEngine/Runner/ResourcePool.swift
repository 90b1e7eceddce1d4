import Synchronization

/// A counting limit on one resource (archive, transfer, API calls): at most `limit` bodies run at once; the rest wait in order.
///
/// Waiting honours task cancellation.
package final class ResourcePool: Sendable {
    private struct Waiter {
        var id: UInt64
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var available: Int
        var nextID: UInt64 = 0
        var waiters: [Waiter] = []
        var peak = 0
        var inUse = 0
    }

    /// The most bodies that may run at once.
    package let limit: Int
    private let state: Mutex<State>

    /// Creates a pool; a limit below 1 is raised to 1.
    package init(limit: Int) {
        self.limit = max(limit, 1)
        state = Mutex(State(available: max(limit, 1)))
    }

    /// The most bodies that ever ran at once (for tests of the bound).
    package var peakUse: Int { state.withLock { $0.peak } }

    /// Runs `body` holding one permit.
    package func withPermit<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await acquire()
        do {
            let value = try await body()
            release()
            return value
        } catch {
            release()
            throw error
        }
    }

    private func acquire() async throws {
        try Task.checkCancellation()
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let granted = state.withLock { state -> Bool in
                    if state.available > 0 {
                        state.available -= 1
                        state.inUse += 1
                        state.peak = max(state.peak, state.inUse)
                        return true
                    }
                    state.waiters.append(Waiter(id: id, continuation: continuation))
                    return false
                }
                if granted {
                    continuation.resume()
                } else if Task.isCancelled {
                    // Cancelled before the waiter was queued: the handler found nothing to resume, so do it here.
                    let waiter = state.withLock { state -> Waiter? in
                        guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                        return state.waiters.remove(at: index)
                    }
                    waiter?.continuation.resume(throwing: CancellationError())
                }
            }
        } onCancel: {
            let waiter = state.withLock { state -> Waiter? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index)
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    private func release() {
        let next = state.withLock { state -> Waiter? in
            state.inUse -= 1
            guard !state.waiters.isEmpty else {
                state.available += 1
                return nil
            }
            state.inUse += 1
            state.peak = max(state.peak, state.inUse)
            return state.waiters.removeFirst()
        }
        next?.continuation.resume()
    }
}

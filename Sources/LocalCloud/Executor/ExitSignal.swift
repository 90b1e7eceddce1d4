import Dispatch
import Synchronization

/// A one-shot signal that a process has exited, which a deadline handler can wait on with a time limit.
///
/// The wait is not cut short by cancellation: after a cancel the supervisor must still give the process its grace
/// period before it kills the group.
final class ExitSignal: Sendable {
    private struct State {
        var hasFired = false
        var nextWaiter = 0
        var waiters: [Int: CheckedContinuation<Bool, Never>] = [:]
    }

    private let state = Mutex(State())

    /// Whether ``fire()`` was called.
    var hasFired: Bool { state.withLock { $0.hasFired } }

    /// Marks the exit and wakes every waiter with `true`.
    func fire() {
        let waiters = state.withLock { state in
            state.hasFired = true
            defer { state.waiters = [:] }
            return state.waiters
        }
        for waiter in waiters.values { waiter.resume(returning: true) }
    }

    /// Waits until the exit or until `limit` has passed, whichever is first.
    ///
    /// - Parameter limit: The longest wait.
    /// - Returns: Whether the process exited within the limit.
    func wait(upTo limit: Duration) async -> Bool {
        let (seconds, attoseconds) = limit.components
        let nanoseconds = max(0, Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
        return await withCheckedContinuation { continuation in
            let waiter: Int? = state.withLock { state in
                guard !state.hasFired else { return nil }
                state.nextWaiter += 1
                state.waiters[state.nextWaiter] = continuation
                return state.nextWaiter
            }
            guard let waiter else { return continuation.resume(returning: true) }
            DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(nanoseconds)) { [self] in
                state.withLock { $0.waiters.removeValue(forKey: waiter) }?.resume(returning: false)
            }
        }
    }
}

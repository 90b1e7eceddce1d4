import InterlinkSystem
import LocalCloud
import Synchronization

/// Opens a ``LocalCloud`` once, at its first use, and lets the cloud's server wait for that moment.
///
/// Opening a cloud reads every job and file record it keeps, which grows with every job it ever ran: for a root
/// of 10,000 jobs about 0.7 s of CPU and tens of MiB. A run that finds every job done and every output in place
/// needs none of it, so ``LazyLocalPlatform`` opens the cloud only when a step asks the platform for something.
package final class LocalCloudOpener: Sendable {
    private enum Stage {
        case closed
        case opening
        case opened(Result<LocalCloud, LocalCloudError>)
    }

    private struct State {
        var stage = Stage.closed
        var nextWaiter = 0
        var waiters: [Int: CheckedContinuation<Result<LocalCloud, LocalCloudError>?, Never>] = [:]
    }

    private let open: @Sendable () throws(LocalCloudError) -> LocalCloud
    private let state = Mutex(State())

    /// Creates an opener.
    ///
    /// - Parameter open: Opens the cloud (it reads the records: it runs on a thread of the blocking executor).
    package init(_ open: @escaping @Sendable () throws(LocalCloudError) -> LocalCloud) {
        self.open = open
    }

    /// Whether the cloud was opened (or its opening failed).
    package var isOpened: Bool {
        state.withLock { state in
            if case .opened = state.stage { return true }
            return false
        }
    }

    /// The cloud: the first caller opens it, later ones and those that come while it opens get the same one.
    ///
    /// - Throws: `LocalCloudError` when it cannot be opened (every caller gets the same error), or
    ///   `CancellationError` when the task is cancelled while another caller opens it.
    package func cloud() async throws -> LocalCloud {
        let opens = state.withLock { state in
            guard case .closed = state.stage else { return false }
            state.stage = .opening
            return true
        }
        guard opens else {
            guard let result = await opened() else { throw CancellationError() }
            return try result.get()
        }
        let open = self.open
        let result = await Blocking.run { () -> Result<LocalCloud, LocalCloudError> in
            do throws(LocalCloudError) { return .success(try open()) } catch { return .failure(error) }
        }
        let waiters = state.withLock { state in
            state.stage = .opened(result)
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume(returning: result) }
        return try result.get()
    }

    /// Waits until the cloud is opened, without opening it.
    ///
    /// - Returns: The cloud, or why it could not be opened; nil when the task is cancelled first.
    package func opened() async -> Result<LocalCloud, LocalCloudError>? {
        let id = state.withLock { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation {
                (continuation: CheckedContinuation<Result<LocalCloud, LocalCloudError>?, Never>) in
                // A cancellation seen here came before this waiter was filed, so its handler found nothing to
                // resume: the waiter is resumed at once instead.
                let now = state.withLock { state -> Result<LocalCloud, LocalCloudError>?? in
                    if case .opened(let result) = state.stage { return .some(result) }
                    if Task.isCancelled { return .some(nil) }
                    state.waiters[id] = continuation
                    return nil
                }
                if let now { continuation.resume(returning: now) }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume(returning: nil)
        }
    }
}

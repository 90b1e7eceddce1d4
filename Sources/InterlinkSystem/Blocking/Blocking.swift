import Foundation

/// Runs blocking calls away from Swift's cooperative pool, so that they cannot starve it.
package enum Blocking {
    /// Runs synchronous blocking work (a read, an fsync, a compression step) on ``BlockingExecutor/shared``.
    ///
    /// The awaiting task is suspended meanwhile; the work never outlives it.
    ///
    /// - Parameter work: The blocking work.
    /// - Returns: What `work` returns.
    /// - Throws: What `work` throws.
    package static func run<T: Sendable, Failure: Error>(
        _ work: @escaping @Sendable () throws(Failure) -> T
    ) async throws(Failure) -> T {
        try await withTaskExecutorPreference(BlockingExecutor.shared) { () async throws(Failure) -> T in try work() }
    }

    /// Runs a wait with no bound (a child process's exit, a pipe read to its end) on a thread of its own.
    ///
    /// Such waits would hold a thread of the shared executor for as long as they last; a thread each keeps them
    /// from queueing the short work behind them. The awaiting task is suspended meanwhile; the thread takes the
    /// next such wait once this one ends (``WaitThreads``), and ends after a while without one.
    ///
    /// - Parameter work: The blocking wait.
    /// - Returns: What `work` returns.
    package static func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            WaitThreads.shared.run { continuation.resume(returning: work()) }
        }
    }
}

import Synchronization

/// The first stop request: the runner starts no new stage, lets running ones reach a journal checkpoint and
/// returns an interrupted result. (A second request is task cancellation, which stops at once.)
package final class StopSignal: Sendable {
    private let requested = Mutex(false)

    /// Creates an unrequested signal.
    package init() {}

    /// Asks the runner to stop after the stages in flight.
    package func requestStop() { requested.withLock { $0 = true } }

    /// Whether a stop was requested.
    package var isRequested: Bool { requested.withLock { $0 } }
}

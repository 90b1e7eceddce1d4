import Synchronization

/// Messages the platform's client has for the user while a run lasts (each retry of an unreachable platform),
/// relayed to whoever shows progress.
///
/// The client is made before the run's progress display exists: until one is attached, and when the display
/// shows nothing (`--quiet`), messages go to the fallback (stderr).
package final class PlatformNotices: Sendable {
    private let receiver: Mutex<(@Sendable (String) -> Void)?>
    private let fallback: @Sendable (String) -> Void

    /// Creates a relay.
    ///
    /// - Parameter fallback: Where messages go while no receiver is attached; each ends without a newline.
    package init(fallback: @escaping @Sendable (String) -> Void = { Console.error($0 + "\n") }) {
        receiver = Mutex(nil)
        self.fallback = fallback
    }

    /// Sends one message to the receiver, or to the fallback when there is none.
    package func post(_ message: String) {
        let current = receiver.withLock { $0 }
        (current ?? fallback)(message)
    }

    /// Routes messages to `receive` until ``detach()``.
    package func attach(_ receive: @escaping @Sendable (String) -> Void) { receiver.withLock { $0 = receive } }

    /// Routes messages to the fallback again.
    package func detach() { receiver.withLock { $0 = nil } }
}

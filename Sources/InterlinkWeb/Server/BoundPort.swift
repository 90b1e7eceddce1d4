import Synchronization

/// The port the server listens on, set once it is known.
final class BoundPort: Sendable {
    private let value = Mutex(0)

    /// The port, or 0 before the server listens.
    var port: Int { value.withLock { $0 } }

    /// Records the port.
    func set(_ port: Int) { value.withLock { $0 = port } }
}

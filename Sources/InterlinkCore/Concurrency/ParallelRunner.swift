/// Runs independent synchronous calls several at once, for synchronous code whose work splits into parts (a
/// plan's listing and hashing of its run directories).
///
/// `InterlinkCore` starts no threads: the CLI passes a runner with threads of its own (`ThreadFanOut` in
/// InterlinkSystem) and tests pass ``SerialRunner``.
package protocol ParallelRunner: Sendable {
    /// Calls `body` once for every index in `0..<count`, several at once and in any order, and returns when every
    /// call has returned.
    ///
    /// - Parameters:
    ///   - count: How many calls to make.
    ///   - body: The call, given its index; it must be safe to run on several threads at once.
    func forEach(_ count: Int, _ body: @escaping @Sendable (Int) -> Void)
}

/// Makes the calls one after another on the caller's thread.
package struct SerialRunner: ParallelRunner {
    /// Creates the runner.
    package init() {}

    package func forEach(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        for index in 0..<count { body(index) }
    }
}

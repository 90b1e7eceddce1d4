import Synchronization

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

extension ParallelRunner {
    /// The results of `transform` for every index in `0..<count`, in index order, computed several at once.
    ///
    /// The indices are handed out in runs of `chunk`, so the threads take a lock once per run rather than once
    /// per index, and the results come back in order whatever order the runs finish in.
    ///
    /// - Parameters:
    ///   - count: How many results to make.
    ///   - chunk: How many consecutive indices one call of the runner's body takes; at least 1.
    ///   - transform: Makes the result of one index; it must be safe to run on several threads at once.
    /// - Returns: `count` results, the one of index `i` at `i`.
    package func map<Result: Sendable>(
        _ count: Int,
        chunk: Int = 64,
        _ transform: @escaping @Sendable (Int) -> Result
    ) -> [Result] {
        guard count > 0 else { return [] }
        let chunk = max(chunk, 1)
        let runs = (count + chunk - 1) / chunk
        let slots = ResultSlots<Result>(count: runs)
        forEach(runs) { run in
            let indices = (run * chunk)..<min(count, (run + 1) * chunk)
            let results = indices.map(transform)
            slots.runs.withLock { $0[run] = results }
        }
        return slots.runs.withLock { runs in runs.flatMap { $0 ?? [] } }
    }
}

/// The results of a ``ParallelRunner/map(_:chunk:_:)``, one slot per run of indices (a class: the threads'
/// closure captures it, not the lock).
private final class ResultSlots<Result: Sendable>: Sendable {
    let runs: Mutex<[[Result]?]>

    init(count: Int) { runs = Mutex([[Result]?](repeating: nil, count: count)) }
}

import Dispatch
import Synchronization

/// Synchronous CPU work cut into parts, computed on every core at once, the results kept in part order: decoding a
/// large journal, `plan.json` or record log in chunks.
///
/// The parts run on GCD's `concurrentPerform` threads (the caller's among them), not on the cooperative pool's;
/// the call returns once every part is done.
package enum ParallelParts {
    /// The results of `transform` for every part in `0..<count`, in part order; one part is computed in place.
    ///
    /// - Parameters:
    ///   - count: How many parts.
    ///   - transform: Computes one part; it must be safe to run on several threads at once.
    /// - Returns: `count` results, the one of part `i` at `i`.
    package static func map<T: Sendable>(_ count: Int, _ transform: @Sendable (Int) -> T) -> [T] {
        guard count > 1 else { return (0..<count).map(transform) }
        let slots = Mutex([T?](repeating: nil, count: count))
        DispatchQueue.concurrentPerform(iterations: count) { part in
            let result = transform(part)
            slots.withLock { $0[part] = result }
        }
        // Every iteration has run when concurrentPerform returns: every slot is filled.
        return slots.withLock { $0.compactMap { $0 } }
    }
}

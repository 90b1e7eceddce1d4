import Foundation
import InterlinkCore
import Synchronization

/// Runs the calls of one ``ParallelRunner/forEach(_:_:)`` on a bounded set of threads of their own, joined
/// before it returns: blocking file work (listing directories, reading and hashing files) off the cooperative
/// pool, with more reads in flight than there are cores so a cold disk's latency overlaps.
package struct ThreadFanOut: ParallelRunner {
    /// The most threads one `forEach` starts.
    package let width: Int

    /// The default width: twice the active cores, at least 4 and at most 16.
    package static var defaultWidth: Int { min(16, max(4, 2 * ProcessInfo.processInfo.activeProcessorCount)) }

    /// Creates a fan-out.
    ///
    /// - Parameter width: The most threads one `forEach` starts; at least 1.
    package init(width: Int = ThreadFanOut.defaultWidth) {
        precondition(width > 0, "a fan-out needs a thread")
        self.width = width
    }

    package func forEach(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        let threads = min(width, count)
        guard threads > 1 else {
            for index in 0..<count { body(index) }
            return
        }
        let next = NextIndex()
        let done = DispatchGroup()
        let drain: @Sendable () -> Void = {
            while true {
                let index = next.value.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < count else { return }
                body(index)
            }
        }
        // The threads end before this returns: `done.wait()` joins them all.
        for _ in 1..<threads {
            done.enter()
            Thread.detachNewThread {
                drain()
                done.leave()
            }
        }
        drain()  // the caller's thread takes its share
        done.wait()
    }
}

/// The next index to call, shared by a fan-out's threads.
private final class NextIndex: Sendable {
    let value = Atomic(0)
}

import Foundation
import InterlinkCore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Runs the calls of one ``ParallelRunner/forEach(_:_:)`` on a bounded set of threads of their own, joined
/// before it returns: blocking file work (listing directories, reading and hashing files) off the cooperative
/// pool, with more reads in flight than there are cores so a cold disk's latency overlaps.
///
/// A `forEach` starts as many threads as there are cores (the caller's among them) and adds one, up to ``width``,
/// each time a call blocks (on Linux: the calling thread gave up its core twice or more during one call, as a
/// read from disk does): work that only computes, as a warm plan's, runs on the cores alone, and work that waits
/// for the disk, as a cold plan's, gets its reads in flight. More threads than cores for work that computes only
/// cost CPU time: a warm 100,000-row plan took 7.7 s of CPU with 2 threads and 10.0 s with 16 on a 2-core machine
/// shared with builds (threads preempted while holding a lock, others spinning for it, and more malloc arenas).
package struct ThreadFanOut: ParallelRunner {
    /// The most threads one `forEach` runs.
    package let width: Int
    /// How many threads one `forEach` starts with (the caller's among them).
    package let initialWidth: Int

    /// The default width: twice the active cores, at least 4 and at most 16.
    package static var defaultWidth: Int { min(16, max(4, 2 * ProcessInfo.processInfo.activeProcessorCount)) }

    /// Creates a fan-out.
    ///
    /// - Parameters:
    ///   - width: The most threads one `forEach` runs; at least 1.
    ///   - initialWidth: How many it starts with; nil for the active cores. Where blocking cannot be told (not
    ///     Linux) it starts with `width`.
    package init(width: Int = ThreadFanOut.defaultWidth, initialWidth: Int? = nil) {
        precondition(width > 0, "a fan-out needs a thread")
        self.width = width
        #if os(Linux)
        let initial = initialWidth ?? ProcessInfo.processInfo.activeProcessorCount
        #else
        let initial = initialWidth ?? width
        #endif
        self.initialWidth = min(width, max(1, initial))
    }

    package func forEach(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        guard min(width, count) > 1 else {
            for index in 0..<count { body(index) }
            return
        }
        let run = FanOutRun(count: count, most: min(width, count), body: body)
        // The threads end before this returns: `wait()` joins them all, the ones added on the way too.
        for _ in 1..<min(initialWidth, count) { _ = run.addThread() }
        run.drain()  // the caller's thread takes its share
        run.wait()
    }
}

/// One `forEach` of a fan-out: the next index to call, the threads running, and what they call.
private final class FanOutRun: Sendable {
    let count: Int
    let most: Int
    let body: @Sendable (Int) -> Void
    let next = Atomic(0)
    /// The threads running the calls, the caller's included.
    let threads = Atomic(1)
    let done = DispatchGroup()

    init(count: Int, most: Int, body: @escaping @Sendable (Int) -> Void) {
        self.count = count
        self.most = most
        self.body = body
    }

    /// Starts one more thread, unless `most` run already or no call is left.
    ///
    /// - Returns: Whether a thread was started.
    func addThread() -> Bool {
        var running = threads.load(ordering: .relaxed)
        while running < most, next.load(ordering: .relaxed) < count {
            let (exchanged, original) = threads.compareExchange(
                expected: running,
                desired: running + 1,
                ordering: .relaxed
            )
            guard exchanged else {
                running = original
                continue
            }
            done.enter()
            Thread.detachNewThread {
                self.drain()
                self.done.leave()
            }
            return true
        }
        return false
    }

    /// Makes calls until none is left, adding a thread after each call that blocked.
    func drain() {
        while true {
            let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
            guard index < count else { return }
            let before = Self.blockingSwitches()
            body(index)
            if Self.blockingSwitches() - before >= 2 { _ = addThread() }
        }
    }

    /// Waits for every thread started.
    func wait() { done.wait() }

    /// How often the calling thread gave up its core before its time was up (waiting for the disk, a lock, a
    /// sleep); 0 where it cannot be told.
    private static func blockingSwitches() -> Int {
        #if os(Linux)
        var usage = rusage()
        // RUSAGE_THREAD (1), which Glibc's module does not export: the calling thread's counts alone.
        guard getrusage(__rusage_who_t(1), &usage) == 0 else { return 0 }
        return usage.ru_nvcsw
        #else
        return 0
        #endif
    }
}

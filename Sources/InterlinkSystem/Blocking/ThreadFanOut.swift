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
/// A `forEach` starts as many threads as there are cores (the caller's among them) and adds one after each call
/// that waited:
/// - up to ``width`` when the call read from a storage device (on Linux: the thread's `ru_inblock` grew), as a
///   cold plan's listings and reads do;
/// - up to ``waitWidth`` when it only gave up its core twice or more (a network file system's round trips, which
///   `ru_inblock` does not count, but also a lock held by a preempted thread).
///
/// Work that only computes, as a warm plan's, stays on the cores: more threads than cores cost it CPU time (a warm
/// 100,000-row plan took 7.7 s of CPU with 2 threads and 10.0 s with 16 on a 2-core machine, from threads
/// preempted while holding a lock and more malloc arenas), and lock waits are why the second limit is low.
package struct ThreadFanOut: ParallelRunner {
    /// The most threads one `forEach` runs.
    package let width: Int
    /// The most threads one `forEach` runs for calls that waited without reading from a device.
    package let waitWidth: Int
    /// How many threads one `forEach` starts with (the caller's among them).
    package let initialWidth: Int

    /// The default width: 16, the reads in flight that took a cold 10,000-directory listing closest to the disk's
    /// limit on a 2-core VM.
    package static let defaultWidth = 16

    /// The default width for calls that waited without reading from a device: twice the active cores, at least 4
    /// and at most 16.
    package static var defaultWaitWidth: Int { min(16, max(4, 2 * ProcessInfo.processInfo.activeProcessorCount)) }

    /// Creates a fan-out.
    ///
    /// - Parameters:
    ///   - width: The most threads one `forEach` runs; at least 1.
    ///   - initialWidth: How many it starts with; nil for the active cores. Where waits cannot be told (not Linux)
    ///     it starts with `waitWidth`.
    ///   - waitWidth: The most threads for calls that waited without reading from a device; nil for
    ///     ``defaultWaitWidth``. At most `width`.
    package init(width: Int = ThreadFanOut.defaultWidth, initialWidth: Int? = nil, waitWidth: Int? = nil) {
        precondition(width > 0, "a fan-out needs a thread")
        self.width = width
        self.waitWidth = min(width, max(1, waitWidth ?? Self.defaultWaitWidth))
        #if os(Linux)
        let initial = initialWidth ?? ProcessInfo.processInfo.activeProcessorCount
        #else
        let initial = initialWidth ?? self.waitWidth
        #endif
        self.initialWidth = min(width, max(1, initial))
    }

    package func forEach(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        guard min(width, count) > 1 else {
            for index in 0..<count { body(index) }
            return
        }
        let run = FanOutRun(count: count, most: min(width, count), mostOnWaits: min(waitWidth, count), body: body)
        // The threads end before this returns: `wait()` joins them all, the ones added on the way too.
        for _ in 1..<min(initialWidth, count) { _ = run.addThread(upTo: run.most) }
        run.drain()  // the caller's thread takes its share
        run.wait()
    }
}

/// One `forEach` of a fan-out: the next index to call, the threads running, and what they call.
private final class FanOutRun: Sendable {
    let count: Int
    /// The most threads, for calls that read from a device.
    let most: Int
    /// The most threads for calls that waited otherwise.
    let mostOnWaits: Int
    let body: @Sendable (Int) -> Void
    let next = Atomic(0)
    /// The threads running the calls, the caller's included.
    let threads = Atomic(1)
    let done = DispatchGroup()

    init(count: Int, most: Int, mostOnWaits: Int, body: @escaping @Sendable (Int) -> Void) {
        self.count = count
        self.most = most
        self.mostOnWaits = mostOnWaits
        self.body = body
    }

    /// Starts one more thread, unless `limit` run already or no call is left.
    ///
    /// - Parameter limit: The most threads running afterwards.
    /// - Returns: Whether a thread was started.
    func addThread(upTo limit: Int) -> Bool {
        var running = threads.load(ordering: .relaxed)
        while running < limit, next.load(ordering: .relaxed) < count {
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

    /// Makes calls until none is left, adding a thread after each call that waited.
    func drain() {
        while true {
            let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
            guard index < count else { return }
            let before = ThreadUsage.now()
            body(index)
            let after = ThreadUsage.now()
            if after.deviceReads > before.deviceReads {
                _ = addThread(upTo: most)
            } else if after.waits - before.waits >= 2 {
                _ = addThread(upTo: mostOnWaits)
            }
        }
    }

    /// Waits for every thread started.
    func wait() { done.wait() }
}

/// What the calling thread has waited for so far.
private struct ThreadUsage {
    /// What it read from storage devices, in 512-byte units (`ru_inblock`).
    var deviceReads: Int
    /// How often it gave up its core before its time was up (`ru_nvcsw`): a read from disk, a lock, a sleep.
    var waits: Int

    /// The calling thread's counts; zeros where they cannot be told.
    static func now() -> ThreadUsage {
        #if os(Linux)
        var usage = rusage()
        // RUSAGE_THREAD (1), which Glibc's module does not export: the calling thread's counts alone.
        guard getrusage(__rusage_who_t(1), &usage) == 0 else { return ThreadUsage(deviceReads: 0, waits: 0) }
        return ThreadUsage(deviceReads: usage.ru_inblock, waits: usage.ru_nvcsw)
        #else
        return ThreadUsage(deviceReads: 0, waits: 0)
        #endif
    }
}

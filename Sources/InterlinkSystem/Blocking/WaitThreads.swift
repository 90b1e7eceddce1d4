import Dispatch
import Foundation
import Synchronization

/// The threads that run waits with no bound (``Blocking/onOwnThread(_:)``): every wait has a thread to itself, but
/// a thread whose wait ended takes the next one instead of ending.
///
/// Each local job's exit is awaited this way. A thread started and ended per wait cost a `clone3`, an 8 MiB stack
/// mapped and unmapped (under the address space's lock, which every other thread's page faults take too) and
/// Foundation's thread setup, per job. A thread left idle for the idle lifetime ends, so a burst of waits leaves no
/// threads behind.
package final class WaitThreads: Sendable {
    /// The process's wait threads: an idle one ends after 10 s.
    package static let shared = WaitThreads(idleLifetime: .seconds(10))

    /// One thread: the wait handed to it while it was idle, and the semaphore that wakes it.
    private final class Worker: Sendable {
        let wake = DispatchSemaphore(value: 0)
        let work = Mutex<(@Sendable () -> Void)?>(nil)
    }

    private struct State {
        /// Threads waiting for work, the one idle the shortest last.
        var idle: [Worker] = []
        /// Threads alive.
        var threads = 0
    }

    private let state = Mutex(State())
    private let idleLifetime: DispatchTimeInterval

    /// Creates a set of wait threads (none started yet).
    ///
    /// - Parameter idleLifetime: How long a thread waits for another wait before it ends.
    package init(idleLifetime: DispatchTimeInterval) {
        self.idleLifetime = idleLifetime
    }

    /// How many threads are alive (running a wait or idle).
    package var threadCount: Int { state.withLock { $0.threads } }

    /// How many threads are idle, waiting for a wait.
    package var idleThreadCount: Int { state.withLock { $0.idle.count } }

    /// Runs `work` on a thread of its own: an idle one, else a new one.
    ///
    /// - Parameter work: The wait; it runs to its end on that thread, which takes no other work meanwhile.
    package func run(_ work: @escaping @Sendable () -> Void) {
        let idle = state.withLock { state -> Worker? in
            if let worker = state.idle.popLast() { return worker }
            state.threads += 1
            return nil
        }
        if let idle {
            // Set before the signal: the worker reads it once woken.
            idle.work.withLock { $0 = work }
            idle.wake.signal()
            return
        }
        let worker = Worker()
        let thread = Thread { [self] in serve(worker, first: work) }
        thread.name = "interlink-wait"
        thread.start()
    }

    /// A thread's loop: runs its work, then waits idle for the next until the idle lifetime passes.
    private func serve(_ worker: Worker, first: @escaping @Sendable () -> Void) {
        var next: (@Sendable () -> Void)? = first
        while let work = next {
            work()
            state.withLock { $0.idle.append(worker) }
            if worker.wake.wait(timeout: .now() + idleLifetime) == .timedOut {
                let retired = state.withLock { state -> Bool in
                    guard let index = state.idle.firstIndex(where: { $0 === worker }) else { return false }
                    state.idle.remove(at: index)
                    state.threads -= 1
                    return true
                }
                if retired { return }
                // Taken off the idle list at the same moment: its work and its signal are on their way.
                worker.wake.wait()
            }
            next = worker.work.withLock { work in
                defer { work = nil }
                return work
            }
        }
    }
}

import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Waiting for a Foundation `Process` to exit without spinning.
///
/// On Linux, `Process.waitUntilExit()` runs the calling thread's run loop until the child has exited. A thread
/// with no run-loop sources (any thread but the main one here) returns from each run at once, so the wait loops
/// and holds a core at 100 % for as long as the child lives: the web UI's command children and the test suite's
/// CLI and emulator processes did exactly that.
package enum ProcessExit {
    /// Blocks until `process`, already started, has exited and Foundation has recorded its status.
    ///
    /// The child is waited for with `waitid(WEXITED | WNOWAIT)`, which sleeps in the kernel and leaves the child
    /// to Foundation to reap, so `terminationStatus` and `terminationReason` are still Foundation's. Foundation
    /// notices the exit within moments, which the loop after it waits for, sleeping twice as long after each look
    /// (0.2 ms up to 20 ms): on a loaded machine Foundation's reaping was seen to lag 7 s, and looking every 0.5 ms
    /// for that long cost the waiting thread 0.11 s of CPU. Call it from a thread of its own
    /// (``Blocking/onOwnThread(_:)``): it blocks.
    ///
    /// - Parameter process: A process that `run()` started.
    package static func wait(_ process: Process) {
        #if os(Linux)
        let pid = id_t(bitPattern: process.processIdentifier)
        var info = siginfo_t()
        // ECHILD: Foundation has reaped it already. EINTR: a signal arrived; wait again.
        while waitid(P_PID, pid, &info, WEXITED | WNOWAIT) != 0, errno == EINTR {}
        var pause: useconds_t = 200
        while process.isRunning {
            usleep(pause)
            pause = min(pause * 2, 20_000)
        }
        #else
        process.waitUntilExit()
        #endif
    }
}

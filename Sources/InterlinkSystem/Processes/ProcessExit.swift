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
    /// notices the exit within moments, which the loop after it waits for. Call it from a thread of its own
    /// (``Blocking/onOwnThread(_:)``): it blocks.
    ///
    /// - Parameter process: A process that `run()` started.
    package static func wait(_ process: Process) {
        #if os(Linux)
        let pid = id_t(bitPattern: process.processIdentifier)
        var info = siginfo_t()
        // ECHILD: Foundation has reaped it already. EINTR: a signal arrived; wait again.
        while waitid(P_PID, pid, &info, WEXITED | WNOWAIT) != 0, errno == EINTR {}
        while process.isRunning { usleep(500) }
        #else
        process.waitUntilExit()
        #endif
    }
}

import Foundation
import InterlinkSystem
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// ``ProcessExit/wait(_:)``: Foundation's status after the exit, and no core held while the child lives.
@Suite struct ProcessExitTests {
    /// Starts `/bin/sh -c script`.
    static func start(_ script: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        try process.run()
        return process
    }

    /// The CPU time the calling thread has used, in seconds.
    static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    @Test func givesFoundationsStatusForAnExitAndForASignal() async throws {
        let exited = try Self.start("exit 3")
        await Blocking.onOwnThread { ProcessExit.wait(exited) }
        #expect(!exited.isRunning)
        #expect(exited.terminationReason == .exit)
        #expect(exited.terminationStatus == 3)
        let killed = try Self.start("kill -KILL $$; sleep 5")
        await Blocking.onOwnThread { ProcessExit.wait(killed) }
        #expect(killed.terminationReason == .uncaughtSignal)
        #expect(killed.terminationStatus == SIGKILL)
        // Waiting again for a child Foundation has reaped returns at once.
        let start = ContinuousClock.now
        await Blocking.onOwnThread { ProcessExit.wait(killed) }
        #expect(ContinuousClock.now - start < .seconds(1))
    }

    @Test func sleepsWhileTheChildLivesInsteadOfSpinning() async throws {
        let process = try Self.start("sleep 0.6")
        let (cpu, wall) = await Blocking.onOwnThread {
            let cpu = Self.threadCPUSeconds()
            let start = ContinuousClock.now
            ProcessExit.wait(process)
            return (Self.threadCPUSeconds() - cpu, ContinuousClock.now - start)
        }
        #expect(process.terminationStatus == 0)
        #expect(wall >= .milliseconds(400), "returned before the child exited: \(wall)")
        // `Process.waitUntilExit()` used the whole 0.6 s of this thread's core here; a sleeping wait uses almost none.
        #expect(cpu < 0.1, "the waiting thread used \(cpu) s of CPU in \(wall)")
    }
}

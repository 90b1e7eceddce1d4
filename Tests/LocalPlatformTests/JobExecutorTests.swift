import Foundation
import InterlinkCore
import InterlinkTestSupport
import InterlinkTransfer
import LocalCloud
import Testing

@Suite(.tags(.integration)) struct JobExecutorTests {
    @Test func theWalltimeSleepEndsAtItsDurationOrAtOnceWhenCancelled() async {
        let clock = ContinuousClock()
        var start = clock.now
        #expect(await JobExecutor.sleep(for: .milliseconds(30)))
        #expect(clock.now - start >= .milliseconds(30))
        // Cancelled, a walltime of an hour ends at once (in slices of a second, so its timer does not outlive it).
        start = clock.now
        let finished = await withTaskGroup(of: Bool.self) { group in
            group.addTask { await JobExecutor.sleep(for: .seconds(3600)) }
            try? await Task.sleep(for: .milliseconds(20))
            group.cancelAll()
            return await group.next() ?? true
        }
        #expect(!finished)
        #expect(clock.now - start < .seconds(10))
    }

    let executor = JobExecutor()

    func request(_ command: String, in root: String, walltime: Duration = .seconds(60)) -> ExecutionRequest {
        ExecutionRequest(
            jobID: JobID("job-1"),
            command: command,
            environment: ["GREETING": "hello world", "PATH": "/usr/bin:/bin"],
            walltime: walltime,
            killGrace: .milliseconds(300),
            workDirectory: root + "/home/work"
        )
    }

    @Test func reportsRescaleStatusSequenceAndListsOutputs() async throws {
        let root = temporaryDirectory("executor")
        let recorder = StatusRecorder()
        let command =
            "echo \"$GREETING\" > env.txt; echo \"$HOME\" > home.txt; mkdir -p out; echo r > out/r.txt; echo log"
        let result = try await executor.execute(request(command, in: root)) { await recorder.record($0) }
        #expect(await recorder.statuses == [.pending, .queued, .started, .validated, .executing])
        #expect(result.status == .completed(.success))
        #expect(result.exitStatus == 0)
        #expect(result.outputs == ["env.txt", "home.txt", "out/r.txt", "process_output.log"])
        #expect(text(at: root + "/home/work/env.txt") == "hello world\n")
        #expect(text(at: root + "/home/work/home.txt") == root + "/home\n")
        #expect(text(at: root + "/home/work/process_output.log") == "log\n")
    }

    @Test func aJobWithoutInputsMakesAndRemovesNoStagingDirectory() async throws {
        // Whatever sits where inputs would be staged is left alone: a job without inputs never creates, empties
        // or removes the staging directory (two metadata writes per job saved).
        let root = temporaryDirectory("executor")
        try FileManager.default.createDirectory(atPath: root + "/home", withIntermediateDirectories: true)
        try Data("marker\n".utf8).write(to: URL(fileURLWithPath: root + "/home/work.inputs"))
        let result = try await executor.execute(request("echo ran > ran.txt", in: root)) { _ in }
        #expect(result.status == .completed(.success))
        #expect(text(at: root + "/home/work/ran.txt") == "ran\n")
        #expect(text(at: root + "/home/work.inputs") == "marker\n")
    }

    @Test func nonZeroExitFailsTheJobAndCapturesStderr() async throws {
        let root = temporaryDirectory("executor")
        let recorder = StatusRecorder()
        let result = try await executor.execute(request("echo broken >&2; exit 3", in: root)) {
            await recorder.record($0)
        }
        #expect(result.exitStatus == 3)
        #expect(result.status == .failed(reason: "the command exited with status 3"))
        #expect(await recorder.statuses.last == .stopping(reason: "the command exited with status 3"))
        #expect(text(at: root + "/home/work/process_output.log") == "broken\n")
    }

    @Test func walltimeStopsTheCommandAndKillsOneThatIgnoresSIGTERM() async throws {
        let root = temporaryDirectory("executor")
        let started = ContinuousClock.now
        let result = try await executor.execute(
            request("trap '' TERM; echo waiting; sleep 30; echo never", in: root, walltime: .milliseconds(400))
        ) { _ in }
        let elapsed = ContinuousClock.now - started
        #expect(result.timedOut)
        #expect(result.signal == SIGKILL)
        #expect(result.status.failureReason?.contains("walltime") == true)
        // Well before the command's own 30 s, with room for a loaded CI machine.
        #expect(elapsed < .seconds(25))
        #expect(text(at: root + "/home/work/process_output.log") == "waiting\n")
    }

    @Test func cancellationKillsTheWholeProcessGroup() async throws {
        let root = temporaryDirectory("executor")
        let pidFile = root + "/home/work/child.pid"
        let command = "sleep 300 & echo $! > child.pid; wait"
        let executor = executor
        let job = request(command, in: root)
        await #expect(throws: CancellationError.self) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { _ = try await executor.execute(job) { _ in } }
                while text(at: pidFile).isEmpty { try await Task.sleep(for: .milliseconds(20)) }
                group.cancelAll()
                try await group.waitForAll()
            }
        }
        let child = try #require(pid_t(text(at: pidFile).trimmingCharacters(in: .whitespacesAndNewlines)))
        var gone = false
        for _ in 0..<100 where !gone {
            gone = processIsGone(child)
            if !gone { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(gone, "the background child \(child) survived the cancellation")
    }
}

import Foundation
import InterlinkCLI
import InterlinkCore
import Testing

/// Outputs on demand and `stop`, with the real binary: on the local platform and against `rescale-sim`.
@Suite(.tags(.integration)) struct OutputsAndStopTests {
    /// Waits (at most 60 s) until the run in `folder` journals the job status `status`.
    static func waitForStatus(_ status: String, in folder: String, of workspace: RunWorkspace) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        let runs = workspace.root + "/" + folder + "/.interlink/runs"
        while ContinuousClock.now < deadline {
            // Until the run folder is in place, reading the journal would record an issue.
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: runs)) ?? []).filter {
                !$0.hasPrefix(".")
            }
            guard names.count == 1, FileManager.default.fileExists(atPath: "\(runs)/\(names[0])/plan.json") else {
                try await Task.sleep(for: .milliseconds(50))
                continue
            }
            let records = (try? workspace.journal(in: folder)) ?? []
            if records.contains(where: { $0["kind"] as? String == "jobStatus" && $0["status"] as? String == status }) {
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("the job never reached '\(status)'")
    }

    /// The journal's records of a kind.
    static func records(_ kind: String, in folder: String, of workspace: RunWorkspace) throws -> [[String: Any]] {
        try workspace.journal(in: folder).filter { $0["kind"] as? String == kind }
    }

    @Test func deletedOutputsAreDownloadedAgainWithoutRunningJobsAndOnDemandElsewhere() async throws {
        let workspace = try RunWorkspace(label: "outputs")
        defer { workspace.remove() }
        let folder = "examples/pur-basic"
        let directory = workspace.root + "/" + folder
        let first = try await CLIProcess.run(["run", "jobs.csv", "--quiet"], in: directory)
        try #require(first.status == 0, "\(first.stdout)\n\(first.stderr)")
        #expect(first.stdout.contains("outputs: results/<job>/ ("), "\(first.stdout)")
        let before = workspace.results(in: folder)
        try FileManager.default.removeItem(atPath: directory + "/results")
        let again = try await CLIProcess.run(["run", "jobs.csv", "--quiet"], in: directory)
        #expect(again.status == 0, "\(again.stdout)\n\(again.stderr)")
        #expect(again.stderr.contains("downloaded outputs are missing or changed"), "\(again.stderr)")
        #expect(workspace.results(in: folder) == before)
        #expect(try workspace.cloudRecords("jobs", in: folder).count == 3, "a job ran again")
        let result = directory + "/results/Run_2/Run_2/result.txt"
        try "tampered".write(toFile: result, atomically: true, encoding: .utf8)
        let fixed = try await CLIProcess.run(["run", "jobs.csv", "--quiet"], in: directory)
        #expect(fixed.status == 0 && workspace.results(in: folder) == before, "\(fixed.stderr)")
        let complete = try await CLIProcess.run(["run", "jobs.csv", "--quiet"], in: directory)
        #expect(complete.stdout.contains("already complete (3 jobs): nothing to do"), "\(complete.stdout)")
        let fetched = try await CLIProcess.run(
            ["outputs", folder + "/jobs.csv", "--job", "Run_2", "--to", "copy"],
            in: workspace.root
        )
        #expect(fetched.status == 0, "\(fetched.stdout)\n\(fetched.stderr)")
        let copied = try String(contentsOfFile: workspace.root + "/copy/Run_2/Run_2/result.txt", encoding: .utf8)
        #expect(copied == before.first { $0.key.hasSuffix("Run_2/Run_2/result.txt") }?.value)
        #expect(!FileManager.default.fileExists(atPath: workspace.root + "/copy/Run_1"))
        let unknown = try await CLIProcess.run(["outputs", folder, "--job", "nope"], in: workspace.root)
        #expect(unknown.status == 64 && unknown.stderr.contains("has no job 'nope'"), "\(unknown.stderr)")
    }

    @Test func ctrlCSaysSoAndStopEndsTheLocalJobUntilRestartStopped() async throws {
        let workspace = try RunWorkspace(label: "stop-local")
        defer { workspace.remove() }
        let folder = "examples/dag-shared"
        let directory = workspace.root + "/" + folder
        let gate = workspace.root + "/gate"
        let spec = RunWorkspace.gatedWorkflow(gate: gate, afterwards: "; echo ok > out.txt")
        try spec.write(toFile: directory + "/slow.yaml", atomically: true, encoding: .utf8)
        let run = try CLIProcess(["run", "slow.yaml", "--quiet"], in: directory)
        try await Self.waitForStatus("executing", in: folder, of: workspace)
        run.send(SIGINT)
        let interrupted = await run.wait()
        #expect(interrupted.status == 130, "\(interrupted.stderr)")
        #expect(interrupted.stderr.contains("1 local jobs stop with this process"), "\(interrupted.stderr)")
        #expect(interrupted.stderr.contains("rescale-int stop .interlink/runs/"), "\(interrupted.stderr)")
        let stop = try await CLIProcess.run(["stop", folder + "/slow.yaml"], in: workspace.root)
        #expect(stop.status == 0, "\(stop.stdout)\n\(stop.stderr)")
        #expect(stop.stdout.contains("1 jobs stopped"), "\(stop.stdout)")
        #expect(try Self.records("jobStopped", in: folder, of: workspace).count == 1)
        let jobs = try workspace.cloudRecords("jobs", in: folder)
        let statuses = (jobs.first?["statuses"] as? [[String: Any]]) ?? []
        #expect("\(statuses.last ?? [:])".contains("Stopped by user"), "\(statuses)")
        try Data().write(to: URL(fileURLWithPath: gate))
        let kept = try await CLIProcess.run(["run", "slow.yaml", "--quiet"], in: directory)
        #expect(kept.status == 1, "\(kept.stdout)\n\(kept.stderr)")
        #expect(kept.stdout.contains("--restart-stopped"), "\(kept.stdout)")
        #expect(try workspace.cloudRecords("jobs", in: folder).count == 1, "a stopped job ran again")
        let restarted = try await CLIProcess.run(["run", "slow.yaml", "--quiet", "--restart-stopped"], in: directory)
        #expect(restarted.status == 0, "\(restarted.stdout)\n\(restarted.stderr)")
        #expect(try workspace.cloudRecords("jobs", in: folder).count == 2)
        #expect(FileManager.default.fileExists(atPath: directory + "/results/slow/out.txt"))
    }

    /// Ctrl-C while the API client waits to retry a failing status call ends the run at once.
    ///
    /// Every status call is answered 503 from then on, retries 8 s apart and more, 50 attempts. Nothing else runs
    /// that could reach a checkpoint, so the first Ctrl-C stops at once (the stop that lets other steps reach
    /// theirs ends the client's wait too: `RetryAndStopTests`). Once the platform answers again, the next run
    /// finishes the same job: no second create or submit.
    @Test func ctrlCWhileTheAPIClientWaitsToRetryEndsTheRunAtOnceAndTheNextRunFinishesIt() async throws {
        let (sim, workspace, folder, gate) = try await Self.gatedOnTheEmulator(label: "stop-retry")
        defer { workspace.remove() }
        let directory = workspace.root + "/" + folder
        var environment = sim.environment(configHome: workspace.root + "/config")
        environment["INTERLINK_API_RETRY_BASE"] = "8"
        environment["INTERLINK_API_RETRY_ATTEMPTS"] = "50"
        let arguments = ["run", "slow.yaml", "--platform", "rescale", "--poll-interval", "0.1"]
        let run = try CLIProcess(arguments, in: directory, environment: environment)
        try await Self.waitForStatus("executing", in: folder, of: workspace)
        let refuseStatuses = #"{"kind": "jobs.statuses", "action": "503", "count": 100000}"#
        _ = try await sim.json("POST", "/_sim/faults", body: refuseStatuses)
        // Every status request from here on is refused: once one has been, the client is in its retry schedule.
        let refusedFrom = try await Self.statusRequests(sim)
        let deadline = ContinuousClock.now + .seconds(30)
        while try await Self.statusRequests(sim) == refusedFrom, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        try await Task.sleep(for: .milliseconds(300))
        let sent = ContinuousClock.now
        run.send(SIGINT)
        let interrupted = await run.wait()
        let elapsed = interrupted.outputEnded - sent
        #expect(interrupted.status == 130, "\(interrupted.stderr)")
        #expect(elapsed < .seconds(5), "exited \(elapsed) after SIGINT\n\(interrupted.stderr)")
        #expect(interrupted.stderr.contains("platform failed (status 503): retrying in"), "\(interrupted.stderr)")
        #expect(interrupted.stderr.contains(RunSession.stopNowMessage), "\(interrupted.stderr)")
        #expect(interrupted.stderr.contains("1 jobs keep running on Rescale"), "\(interrupted.stderr)")
        _ = try await sim.json("DELETE", "/_sim/faults")
        try Data().write(to: URL(fileURLWithPath: gate))
        let again = try await CLIProcess.run(arguments + ["--quiet"], in: directory, environment: environment)
        let counts = try await sim.counts()
        await sim.stop()
        #expect(again.status == 0, "\(again.stdout)\n\(again.stderr)")
        #expect(counts["creates"] as? Int == 1, "\(counts)")
        let jobs = try #require(counts["jobs"] as? [String: [String: Any]])
        #expect(jobs.values.map { $0["submits"] as? Int } == [1], "\(jobs)")
        #expect(FileManager.default.fileExists(atPath: directory + "/results/slow/process_output.log"))
    }

    /// An emulator, and a workspace whose dag-shared folder has `slow.yaml`: one job that waits for `gate`.
    static func gatedOnTheEmulator(label: String) async throws
        -> (sim: SimProcess, workspace: RunWorkspace, folder: String, gate: String)
    {
        let sim = try await SimProcess()
        let workspace = try RunWorkspace(label: label)
        let folder = "examples/dag-shared"
        let gate = workspace.root + "/gate"
        try RunWorkspace.gatedWorkflow(gate: gate).write(
            toFile: workspace.root + "/" + folder + "/slow.yaml",
            atomically: true,
            encoding: .utf8
        )
        return (sim, workspace, folder, gate)
    }

    /// The status requests the emulator has seen.
    static func statusRequests(_ sim: SimProcess) async throws -> Int {
        let counts = try await sim.counts()
        return (counts["requests"] as? [String: Int])?["jobs.statuses"] ?? 0
    }

    @Test func stopInterruptsTheRunnerAndStopsTheJobOnTheEmulator() async throws {
        let (sim, workspace, folder, gate) = try await Self.gatedOnTheEmulator(label: "stop-sim")
        defer { workspace.remove() }
        let directory = workspace.root + "/" + folder
        let environment = sim.environment(configHome: workspace.root + "/config")
        let run = try CLIProcess(
            ["run", "slow.yaml", "--platform", "rescale", "--poll-interval", "0.1", "--quiet"],
            in: directory,
            environment: environment
        )
        try await Self.waitForStatus("executing", in: folder, of: workspace)
        let stop = try await CLIProcess.run(
            ["stop", "slow.yaml", "--poll-interval", "0.1", "--timeout", "20"],
            in: directory,
            environment: environment
        )
        let runner = await run.wait()
        try? Data().write(to: URL(fileURLWithPath: gate))
        let again = try await CLIProcess.run(
            ["run", "slow.yaml", "--platform", "rescale", "--poll-interval", "0.1", "--quiet"],
            in: directory,
            environment: environment
        )
        let counts = try await sim.counts()
        await sim.stop()
        #expect(stop.status == 0, "\(stop.stdout)\n\(stop.stderr)")
        #expect(stop.stderr.contains("interrupted the runner"), "\(stop.stderr)")
        #expect(stop.stdout.contains("stopped"), "\(stop.stdout)")
        #expect(runner.status == 130, "\(runner.stderr)")
        #expect(runner.stderr.contains("1 jobs keep running on Rescale"), "\(runner.stderr)")
        let requests = try #require(counts["requests"] as? [String: Int])
        #expect(requests["jobs.stop"] == 1, "\(requests)")
        #expect(counts["creates"] as? Int == 1, "a stopped job was redone: \(counts)")
        #expect(again.status == 1, "\(again.stdout)\n\(again.stderr)")
        let statuses = try Self.records("jobStatus", in: folder, of: workspace).compactMap { $0["status"] as? String }
        #expect(statuses.last == "stopped", "\(statuses)")
    }
}

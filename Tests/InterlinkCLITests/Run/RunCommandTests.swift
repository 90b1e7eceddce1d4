import Foundation
import InterlinkTestSupport
import Testing

/// `rescale-int run`, `resume`, `status` and `runs` as users call them: the built binary on the local platform.
@Suite(.tags(.integration)) struct RunCommandTests {
    static let shipped = [
        "examples/pur-basic/jobs.csv", "examples/dag-shared/workflow.yaml", "examples/yaml-sweep/workflow.yaml",
        "examples/sge-scripts/workflow.yaml",
        "workflows/run-directories.yaml", "workflows/sweep-study.yaml",
    ]

    @Test(arguments: shipped)
    func shippedWorkflowRunsToCompletion(path: String) async throws {
        let workspace = try RunWorkspace(label: "shipped")
        defer { workspace.remove() }
        let result = try await CLIProcess.run(["run", path, "--quiet"], in: workspace.root)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        let folder = (path as NSString).deletingLastPathComponent
        let states = try await workspace.statusStates(of: folder)
        #expect(!states.isEmpty)
        #expect(states.values.allSatisfy { $0 == "done" }, "\(states)")
        let again = try await CLIProcess.run(["run", path], in: workspace.root)
        #expect(again.status == 0)
        #expect(again.stdout.contains("already complete"), "\(again.stdout)")
    }

    @Test func secondRunnerOnALockedRunExits75AndCtrlCExits130WithTheResumeCommand() async throws {
        let workspace = try RunWorkspace(label: "lock")
        defer { workspace.remove() }
        // The job waits for a gate file (at most 30 s), so it is surely still running when the test interrupts.
        let gate = workspace.root + "/gate"
        let spec = RunWorkspace.gatedWorkflow(gate: gate, afterwards: "; echo ok > out.txt")
        try spec.write(toFile: workspace.root + "/examples/dag-shared/slow.yaml", atomically: true, encoding: .utf8)
        let first = try CLIProcess(["run", "slow.yaml", "--quiet"], in: workspace.root + "/examples/dag-shared")
        try await waitForJob(in: workspace.root + "/examples/dag-shared/.interlink/local/records.jsonl")
        let second = try await CLIProcess.run(["run", "slow.yaml"], in: workspace.root + "/examples/dag-shared")
        #expect(second.status == 75, "\(second.stderr)")
        #expect(second.stderr.contains("error: run is in use by another runner (pid"), "\(second.stderr)")
        #expect(second.stderr.contains(": 'rescale-int run slow.yaml --quiet')"), "\(second.stderr)")
        first.send(SIGINT)
        let stopped = await first.wait()
        #expect(stopped.status == 130, "\(stopped.stdout)\n\(stopped.stderr)")
        #expect(stopped.stdout.contains("interrupted; continue with: rescale-int resume .interlink/runs/"))
        try Data().write(to: URL(fileURLWithPath: gate))
        let resumed = try await CLIProcess.run(["resume", "--quiet"], in: workspace.root + "/examples/dag-shared")
        #expect(resumed.status == 0, "\(resumed.stdout)\n\(resumed.stderr)")
        let jobs = try workspace.cloudRecords("jobs", in: "examples/dag-shared")
        #expect(jobs.count == 1)
        #expect(jobs.first?["submitCount"] as? Int == 1)
    }

    @Test func truncatedJournalResumesAndCorruptMiddleLineIsNamedTouchingNothing() async throws {
        let workspace = try RunWorkspace(label: "journal")
        defer { workspace.remove() }
        let folder = workspace.root + "/examples/dag-shared"
        let crashed = try await CLIProcess.run(
            ["run", "workflow.yaml", "--quiet", "--crash-after-record", "10"],
            in: folder
        )
        #expect(crashed.wasSignalled)
        let journal = try workspace.runDirectory(in: "examples/dag-shared") + "/journal.jsonl"
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: journal))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"kind\":\"outcome\",\"seq\":11,\"no".utf8))
        try handle.close()
        let resumed = try await CLIProcess.run(["resume", "--quiet"], in: folder)
        #expect(resumed.status == 0, "\(resumed.stdout)\n\(resumed.stderr)")
        #expect(try await workspace.statusStates(of: "examples/dag-shared").values.allSatisfy { $0 == "done" })

        var lines = try String(contentsOfFile: journal, encoding: .utf8).split(
            separator: "\n",
            omittingEmptySubsequences: false
        )
        lines[2] = "{\"kind\": garbage"
        try lines.joined(separator: "\n").write(toFile: journal, atomically: true, encoding: .utf8)
        let before = try Data(contentsOf: URL(fileURLWithPath: journal))
        let corrupt = try await CLIProcess.run(["resume"], in: folder)
        #expect(corrupt.status == 65)
        #expect(
            corrupt.stderr.contains("journal.jsonl:3: error: line 3 is not a valid journal record"),
            "\(corrupt.stderr)"
        )
        #expect(try Data(contentsOf: URL(fileURLWithPath: journal)) == before)
        let status = try await CLIProcess.run(["status"], in: folder)
        #expect(status.status == 65)
    }

    @Test func purRunExportsInterlinkStateAndRunsListsIt() async throws {
        let workspace = try RunWorkspace(label: "pur")
        defer { workspace.remove() }
        let folder = workspace.root + "/examples/pur-basic"
        let run = try await CLIProcess.run(
            ["pur", "run", "-j", "jobs.csv", "--state", "state.csv", "--tar-compression", "gzip", "--quiet"],
            in: folder
        )
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        let state = try String(contentsOfFile: folder + "/state.csv", encoding: .utf8).split(separator: "\n")
        #expect(
            state.first
                == "Index,JobName,Directory,TarPath,TarStatus,FileID,UploadStatus,JobID,SubmitStatus,ExtraFileIDs,ErrorMessage,LastUpdated"
        )
        #expect(state.count == 4)
        #expect(state.dropFirst().allSatisfy { $0.contains(",success,") && !$0.contains("pending") })
        let runDirectory = try workspace.runDirectory(in: "examples/pur-basic")
        let export = try await CLIProcess.run(["pur", "export-state", runDirectory, "-o", "again.csv"], in: folder)
        #expect(export.status == 0, "\(export.stderr)")
        #expect(
            try String(contentsOfFile: folder + "/again.csv", encoding: .utf8) == state.joined(separator: "\n") + "\n"
        )
        let runs = try await CLIProcess.run(["runs"], in: folder)
        #expect(runs.stdout.contains("jobs.csv"))
        #expect(runs.stdout.contains("succeeded  3     3     0"), "\(runs.stdout)")
        let resume = try await CLIProcess.run(["pur", "resume", "jobs.csv", "--tar-compression", "gzip"], in: folder)
        #expect(resume.status == 0)
        #expect(resume.stdout.contains("already complete"), "\(resume.stdout)")
        // Without gzip the archives differ: every job is redone in the same run.
        let changed = try await CLIProcess.run(["pur", "resume", "jobs.csv"], in: folder)
        #expect(changed.status == 0)
        #expect(changed.stderr.contains("3 changed and 0 new nodes are (re)done"), "\(changed.stderr)")
        let missing = try await CLIProcess.run(["pur", "resume", "template.csv"], in: folder)
        #expect(missing.status != 0)
    }

    /// Waits (up to 20 s) until the local cloud holds a job record.
    func waitForJob(in recordLog: String) async throws {
        for _ in 0..<400 {
            let text = (try? String(contentsOfFile: recordLog, encoding: .utf8)) ?? ""
            if text.split(separator: "\n").contains(where: { $0.hasPrefix("{\"job\":") }) { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("no job was created in \(recordLog)")
    }
}

import Foundation
import InterlinkCore
import InterlinkEngine
import Testing

/// One test per exit status: the built `rescale-int` binary, its status, and the rendered error (exactly one
/// `error:` line and at most one `help:` line).
@Suite(.tags(.integration)) struct ExitCodeTests {
    /// Checks the status and that stderr holds one error (with `message`) and at most one help line.
    static func expectOneError(
        _ result: CLIProcess.Result,
        _ status: InterlinkCore.ExitStatus,
        _ message: String,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        #expect(result.status == status.rawValue, "\(result.stderr)", sourceLocation: sourceLocation)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.filter { $0.contains("error: ") }.count == 1, "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(lines.filter { $0.contains("help: ") }.count <= 1, "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains(message), "\(result.stderr)", sourceLocation: sourceLocation)
    }

    /// A workspace with the shipped examples and an empty configuration home (no profile, no key).
    static func environment(_ workspace: RunWorkspace) -> [String: String] {
        [
            "XDG_CONFIG_HOME": workspace.root + "/config", "RESCALE_API_KEY": "", "RESCALE_PROFILE": "",
            "RESCALE_API_URL": "",
        ]
    }

    @Test func success0() async throws {
        let workspace = try RunWorkspace(label: "exit0")
        defer { workspace.remove() }
        let result = try await CLIProcess.run(["validate", "examples/dag-shared/workflow.yaml"], in: workspace.root)
        #expect(result.status == InterlinkCore.ExitStatus.success.rawValue)
        #expect(!result.stderr.contains("error:"))
    }

    @Test func aFailedJobExits1() async throws {
        let workspace = try RunWorkspace(label: "exit1")
        defer { workspace.remove() }
        let spec = "version: 1\nname: fails\njobs:\n  - name: broken\n    inputs: [mesh]\n    command: \"exit 3\"\n"
        try spec.write(toFile: workspace.root + "/examples/dag-shared/fails.yaml", atomically: true, encoding: .utf8)
        let result = try await CLIProcess.run(
            ["run", "fails.yaml", "--quiet"],
            in: workspace.root + "/examples/dag-shared"
        )
        #expect(result.status == InterlinkCore.ExitStatus.jobFailed.rawValue, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("fix the failures, then continue with: rescale-int resume"), "\(result.stdout)")
    }

    @Test func anUnknownRunIsAUsageError64() async throws {
        let workspace = try RunWorkspace(label: "exit64")
        defer { workspace.remove() }
        let result = try await CLIProcess.run(["resume", "no-such-run"], in: workspace.root)
        Self.expectOneError(result, .usage, "error: no run 'no-such-run' in '")
        #expect(result.stderr.contains("  help: give a run id that 'rescale-int runs' lists"))
    }

    @Test func anInvalidSpecExits65WithItsLocation() async throws {
        let workspace = try RunWorkspace(label: "exit65")
        defer { workspace.remove() }
        let spec = "version: 1\njobs:\n  - name: a\n    command: echo a\n    submit: create_only\n"
        try spec.write(toFile: workspace.root + "/bad.yaml", atomically: true, encoding: .utf8)
        let result = try await CLIProcess.run(["validate", "bad.yaml"], in: workspace.root)
        Self.expectOneError(result, .invalidInput, "bad.yaml:5:13: error: unknown submit mode 'create_only'\n")
        #expect(result.stderr.contains("  help: did you mean 'create-only'?"))
    }

    /// A refused key stops the run before any job: one error, one help naming the fix and the resume command.
    @Test func aRefusedKeyExits69WithOneHelpLine() async throws {
        let sim = try await SimProcess()
        let workspace = try RunWorkspace(label: "exit69")
        defer {
            workspace.remove()
        }
        var environment = sim.environment(configHome: workspace.root + "/config")
        environment["RESCALE_API_KEY"] = "wrong-key-0000000000000"
        let result = try await CLIProcess.run(
            ["run", "workflow.yaml", "--platform", "rescale", "--quiet"],
            in: workspace.root + "/examples/dag-shared",
            environment: environment
        )
        await sim.stop()
        Self.expectOneError(result, .unavailable, "error: the platform refused the credentials")
        #expect(result.stderr.contains("; then continue with: rescale-int resume .interlink/runs/"), "\(result.stderr)")
        #expect(!result.stderr.contains("wrong-key-0000000000000"))
    }

    @Test func anUnwritableLogFileIsAnIOError74() async throws {
        let workspace = try RunWorkspace(label: "exit74")
        defer { workspace.remove() }
        let result = try await CLIProcess.run(
            ["validate", "examples/dag-shared/workflow.yaml", "--log-file", workspace.root + "/missing/x.log"],
            in: workspace.root
        )
        Self.expectOneError(result, .ioError, "error: cannot open the log file '\(workspace.root)/missing/x.log'")
    }

    @Test func aRunInUseExits75NamingItsHolder() async throws {
        let workspace = try RunWorkspace(label: "exit75")
        defer { workspace.remove() }
        let folder = workspace.root + "/examples/dag-shared"
        let crashed = try await CLIProcess.run(["run", "workflow.yaml", "--crash-after-record", "10"], in: folder)
        #expect(crashed.wasSignalled, "\(crashed.stderr)")
        // The local platform has no lock of its own: only the run's lock refuses a second runner.
        let lock = try JournalLock(path: try workspace.runDirectory(in: "examples/dag-shared") + "/lock")
        defer { lock.release() }
        let result = try await CLIProcess.run(["run", "workflow.yaml"], in: folder)
        Self.expectOneError(result, .inUse, "error: run is in use by another runner (pid \(getpid()): '")
    }

    @Test func configTestWithoutAKeyExits78AndShowSaysItIsNotSet() async throws {
        let workspace = try RunWorkspace(label: "exit78")
        defer { workspace.remove() }
        let result = try await CLIProcess.run(
            ["config", "test"],
            in: workspace.root,
            environment: Self.environment(workspace)
        )
        Self.expectOneError(result, .configuration, "error: no api key for profile 'default'")
        #expect(result.stderr.contains("  help: run `rescale-int config init`"), "\(result.stderr)")
        let shown = try await CLIProcess.run(
            ["config", "show"],
            in: workspace.root,
            environment: Self.environment(workspace)
        )
        #expect(shown.status == 0 && shown.stdout.contains("api key:    not set (run `rescale-int config init`"))
    }

    @Test func ctrlCExits130WithTheResumeCommand() async throws {
        let workspace = try RunWorkspace(label: "exit130")
        defer { workspace.remove() }
        let gate = workspace.root + "/gate"
        let spec = RunWorkspace.gatedWorkflow(gate: gate)
        let folder = workspace.root + "/examples/dag-shared"
        try spec.write(toFile: folder + "/slow.yaml", atomically: true, encoding: .utf8)
        let run = try CLIProcess(["run", "slow.yaml", "--quiet"], in: folder)
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline,
            (try? workspace.cloudRecords("jobs", in: "examples/dag-shared"))?.isEmpty ?? true
        {
            try await Task.sleep(for: .milliseconds(50))
        }
        run.send(SIGINT)
        let result = await run.wait()
        try? Data().write(to: URL(fileURLWithPath: gate))
        #expect(result.status == InterlinkCore.ExitStatus.interrupted.rawValue, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("interrupted; continue with: rescale-int resume"), "\(result.stdout)")
        #expect(!result.stderr.contains("error:"))
    }
}

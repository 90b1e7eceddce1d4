import Foundation
import InterlinkCLI
import InterlinkCore
import InterlinkEngine
import Testing

/// A job that failed for a passing reason is retried by the next `run` (or the printed `resume`) with a new job,
/// on the local platform and against `rescale-sim`.
@Suite(.tags(.integration)) struct RetryTests {
    /// A one-job workflow whose job fails until `flag` exists, then writes `out.txt`.
    static func flaky(flag: String) -> String {
        """
        version: 1
        name: flaky
        jobs:
          - name: flaky
            inputs: [mesh]
            command: "test -e '\(flag)' || { echo 'licence server down' >&2; exit 3; }; echo ok > out.txt"
        """
    }

    /// The journal's records of a kind.
    static func records(_ kind: String, in workspace: RunWorkspace) throws -> [[String: Any]] {
        try workspace.journal(in: "examples/dag-shared").filter { $0["kind"] as? String == kind }
    }

    @Test func runAgainAndThePrintedResumeRetryAFailedJobWithANewJob() async throws {
        let workspace = try RunWorkspace(label: "retry")
        defer { workspace.remove() }
        let directory = workspace.root + "/examples/dag-shared"
        let flag = workspace.root + "/licence-up"
        try Self.flaky(flag: flag).write(toFile: directory + "/flaky.yaml", atomically: true, encoding: .utf8)
        let first = try await CLIProcess.run(["run", "flaky.yaml", "--quiet"], in: directory)
        #expect(first.status == 1, "\(first.stdout)\n\(first.stderr)")
        let hint = try #require(first.stdout.split(separator: "\n").first { $0.contains("continue with: ") })
        let resume = try #require(hint.components(separatedBy: "continue with: rescale-int ").last)
        // --max-attempts bounds every stage within a run, over the workflow's attempts.
        let runDirectory = try workspace.runDirectory(in: "examples/dag-shared")
        let frozen = try #require(
            try RunDirectory(baseDirectory: directory, runID: RunID(PathName.basename(runDirectory))).frozenPlan()
        )
        let bounded = try RunOptions.parse(["--max-attempts", "2"]).apply(to: frozen)
        #expect(StageKind.allCases.allSatisfy { bounded.settings.attempts(for: $0) == 2 })
        #expect(throws: (any Error).self) { try RunOptions.parse(["--max-attempts", "0"]) }
        let second = try await CLIProcess.run(["run", "flaky.yaml", "--quiet"], in: directory)
        #expect(second.status == 1, "still down: \(second.stdout)\n\(second.stderr)")
        #expect(second.stderr.contains("1 failed jobs get a new job"), "\(second.stderr)")
        #expect(try workspace.cloudRecords("jobs", in: "examples/dag-shared").count == 2)
        try "".write(toFile: flag, atomically: true, encoding: .utf8)
        let third = try await CLIProcess.run(resume.split(separator: " ").map(String.init), in: directory)
        #expect(third.status == 0, "\(third.stdout)\n\(third.stderr)")
        let jobs = try workspace.cloudRecords("jobs", in: "examples/dag-shared")
        #expect(jobs.count == 3, "one new job per retry: \(jobs.count)")
        #expect(jobs.allSatisfy { ($0["submitCount"] as? Int) == 1 }, "a failed job was submitted again")
        #expect(try Self.records("nodeRetried", in: workspace).map { $0["attempt"] as? Int } == [1, 2])
        #expect(FileManager.default.fileExists(atPath: directory + "/results/flaky/out.txt"))
        let status = try await workspace.statusStates(of: "examples/dag-shared")
        #expect(status["job:flaky"] == "done", "\(status)")
    }

    @Test func aJobThatFailedOnTheEmulatorIsRetriedWithANewJob() async throws {
        let sim = try await SimProcess()
        let workspace = try RunWorkspace(label: "sim-retry")
        defer { workspace.remove() }
        let directory = workspace.root + "/examples/dag-shared"
        let flag = workspace.root + "/licence-up"
        try Self.flaky(flag: flag).write(toFile: directory + "/flaky.yaml", atomically: true, encoding: .utf8)
        let environment = sim.environment(configHome: workspace.root + "/config")
        let arguments = ["run", "flaky.yaml", "--platform", "rescale", "--poll-interval", "0.1", "--quiet"]
        let first = try await CLIProcess.run(arguments, in: directory, environment: environment)
        try "".write(toFile: flag, atomically: true, encoding: .utf8)
        let second = try await CLIProcess.run(arguments, in: directory, environment: environment)
        let counts = try await sim.counts()
        await sim.stop()
        #expect(first.status == 1, "\(first.stdout)\n\(first.stderr)")
        #expect(second.status == 0, "\(second.stdout)\n\(second.stderr)")
        #expect(counts["creates"] as? Int == 2, "\(counts)")
        let jobs = try #require(counts["jobs"] as? [String: [String: Any]])
        #expect(jobs.values.allSatisfy { $0["submits"] as? Int == 1 }, "a job was submitted twice: \(jobs)")
        #expect(FileManager.default.fileExists(atPath: directory + "/results/flaky/out.txt"))
    }
}

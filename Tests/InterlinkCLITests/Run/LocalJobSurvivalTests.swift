import Foundation
import InterlinkTestSupport
import Testing

/// The local platform's jobs under a runner killed outright (SIGKILL of the real binary), and two runners of
/// different workflows sharing one folder's local platform.
@Suite(.tags(.integration)) struct LocalJobSurvivalTests {
    static let folder = "examples/dag-shared"

    /// Three jobs (`a`, `b`, then `c` needing both) that each append their name to `count`, then wait (at most 30 s)
    /// until the test creates `release-<name>` beside `count`, and write `out.txt` only if it did.
    ///
    /// The test kills the runner while a started job waits for its release, so the kill surely lands before the run
    /// can end, however fast the engine or slow the machine.
    static func countedWorkflow(count: String) -> String {
        func job(_ name: String, needs: String = "") -> String {
            let release = count + "-release-" + name
            return """
                  - name: \(name)
                    inputs: [mesh]\(needs)
                    command: "echo \(name) >> '\(count)'; for i in $(seq 600); do [ -e '\(release)' ] && break; \
                sleep 0.05; done; [ -e '\(release)' ] && echo \(name) > out.txt"

                """
        }
        return """
            version: 1
            name: counted
            defaults:
              outputs:
                destination: "results/{job}"
            jobs:

            """ + job("a") + job("b") + job("c", needs: "\n    needs: [a, b]")
    }

    /// Lets job `name` of ``countedWorkflow(count:)`` finish.
    static func release(_ name: String, count: String) throws {
        try Data().write(to: URL(fileURLWithPath: count + "-release-" + name))
    }

    static func lines(_ path: String) -> [String] {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    /// Kills the runner once `count` has `startedJobs` lines (that many commands started; `a` and `b` are released
    /// at once when `c` must start, and every job still waiting is released after the kill), then runs again until
    /// the run succeeds: every command ran exactly once, and the results and states are those of an uncrashed run.
    @Test(arguments: [1, 2, 3])
    func aKilledRunnersJobsRunOnceAndResumeCollectsThem(startedJobs: Int) async throws {
        let workspace = try RunWorkspace(label: "survive-\(startedJobs)")
        defer { workspace.remove() }
        let directory = workspace.root + "/" + Self.folder
        let count = workspace.root + "/count"
        try Self.countedWorkflow(count: count).write(
            toFile: directory + "/counted.yaml",
            atomically: true,
            encoding: .utf8
        )
        let arguments = ["run", "counted.yaml", "--quiet", "--poll-interval", "0.1"]
        if startedJobs == 3 { for name in ["a", "b"] { try Self.release(name, count: count) } }
        let runner = try CLIProcess(arguments, in: directory)
        let deadline = ContinuousClock.now + .seconds(60)
        while Self.lines(count).count < startedJobs && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(Self.lines(count).count >= startedJobs, "the commands did not start")
        runner.send(SIGKILL)
        let killed = await runner.wait()
        #expect(killed.wasSignalled, "the runner ended before the kill: \(killed.stderr)")
        for name in ["a", "b", "c"] { try Self.release(name, count: count) }
        var finished = false
        for _ in 0..<3 where !finished {
            let again = try await CLIProcess.run(arguments, in: directory)
            finished = again.status == 0
            #expect(finished || again.status == 75, "\(again.stderr)")
        }
        #expect(finished)
        #expect(Self.lines(count).sorted() == ["a", "b", "c"], "each command runs exactly once")
        let jobs = try workspace.cloudRecords("jobs", in: Self.folder)
        #expect(jobs.count == 3)
        #expect(jobs.allSatisfy { $0["executionCount"] as? Int == 1 && $0["exitStatus"] as? Int == 0 }, "\(jobs)")
        let results = workspace.results(in: Self.folder)
        #expect(results["a/out.txt"] == "a\n" && results["b/out.txt"] == "b\n" && results["c/out.txt"] == "c\n")
        let states = try await workspace.statusStates(of: Self.folder)
        #expect(!states.isEmpty && states.values.allSatisfy { $0 == "done" }, "\(states)")
    }

    /// One job that signals `mine` and then waits for `theirs` (at most 30 s).
    static func meetingWorkflow(name: String, mine: String, theirs: String) -> String {
        let command =
            "touch '\(mine)'; for i in $(seq 600); do [ -e '\(theirs)' ] && break; sleep 0.05; done; "
            + "[ -e '\(theirs)' ] && echo \(name) > out.txt"
        return """
            version: 1
            name: \(name)
            defaults:
              outputs:
                destination: "results/{job}"
            jobs:
              - name: \(name)
                inputs: [mesh]
                command: "\(command)"
            """
    }

    /// Two workflows in one folder whose jobs can only succeed while both run at once: two runner processes share
    /// the folder's local platform, each holding only its own run's lock.
    @Test func twoWorkflowsInOneFolderRunAtTheSameTime() async throws {
        let workspace = try RunWorkspace(label: "two-runners")
        defer { workspace.remove() }
        let directory = workspace.root + "/" + Self.folder
        let (left, right) = (workspace.root + "/left-ready", workspace.root + "/right-ready")
        try Self.meetingWorkflow(name: "left", mine: left, theirs: right).write(
            toFile: directory + "/left.yaml",
            atomically: true,
            encoding: .utf8
        )
        try Self.meetingWorkflow(name: "right", mine: right, theirs: left).write(
            toFile: directory + "/right.yaml",
            atomically: true,
            encoding: .utf8
        )
        let first = try CLIProcess(["run", "left.yaml", "--quiet", "--poll-interval", "0.1"], in: directory)
        let second = try CLIProcess(["run", "right.yaml", "--quiet", "--poll-interval", "0.1"], in: directory)
        let (one, two) = (await first.wait(), await second.wait())
        #expect(one.status == 0, "\(one.stdout)\n\(one.stderr)")
        #expect(two.status == 0, "\(two.stdout)\n\(two.stderr)")
        let results = workspace.results(in: Self.folder)
        #expect(results["left/out.txt"] == "left\n" && results["right/out.txt"] == "right\n")
        let jobs = try workspace.cloudRecords("jobs", in: Self.folder)
        #expect(jobs.count == 2 && jobs.allSatisfy { $0["executionCount"] as? Int == 1 })
    }
}

import Foundation
import InterlinkCore
import InterlinkTestSupport
import Testing

/// Real crashes of the built binary (SIGKILL, from its hidden `--crash-after-record` or from outside) followed by
/// `run` again: nothing is created twice and the end state equals an uncrashed run.
@Suite(.tags(.integration)) struct CrashResumeTests {
    /// dag-shared: a shared input, two solver jobs and a third that needs both.
    static let folder = "examples/dag-shared"

    /// What an uncrashed run leaves: its journal length, results and node states.
    struct Reference {
        var records: Int
        var results: [String: String]
        var states: [String: String]
    }

    static func reference() async throws -> Reference {
        let workspace = try RunWorkspace(label: "crash-reference")
        defer { workspace.remove() }
        let result = try await CLIProcess.run(["run", "workflow.yaml", "--quiet"], in: workspace.root + "/" + folder)
        #expect(result.status == 0, "\(result.stderr)")
        return Reference(
            records: try workspace.journal(in: folder).count,
            results: workspace.results(in: folder),
            states: try await workspace.statusStates(of: folder)
        )
    }

    /// Runs `run` until it exits 0 (at most 4 times), then checks the workspace against the reference.
    static func finishAndCheck(_ workspace: RunWorkspace, against reference: Reference, label: String) async throws {
        var finished = false
        for _ in 0..<4 where !finished {
            let result = try await CLIProcess.run(
                ["run", "workflow.yaml", "--quiet"],
                in: workspace.root + "/" + folder
            )
            finished = result.status == 0
        }
        #expect(finished, "\(label): the resumed run did not finish")
        let jobs = try workspace.cloudRecords("jobs", in: folder)
        #expect(jobs.count == 3, "\(label): \(jobs.count) jobs created")
        #expect(Set(jobs.compactMap { $0["idempotencyKey"] as? String }).count == jobs.count)
        #expect(jobs.allSatisfy { $0["submitCount"] as? Int == 1 }, "\(label): a job was submitted twice")
        let files = try workspace.cloudRecords("files", in: folder).filter { $0["jobId"] == nil }
        // mesh.tar, and solver.tar once for both solvers.
        #expect(files.count == 2, "\(label): \(files.count) input files registered")
        let downloads = try workspace.journal(in: folder).filter {
            $0["kind"] as? String == "outcome" && $0["stage"] as? String == "download" && $0["item"] != nil
                && $0["result"] as? String == "succeeded"
        }
        let perOutput = Dictionary(grouping: downloads) { "\($0["node"] ?? "")/\($0["item"] ?? "")" }
        #expect(perOutput.values.allSatisfy { $0.count == 1 }, "\(label): an output was downloaded twice")
        #expect(workspace.results(in: folder) == reference.results, "\(label): outputs differ")
        #expect(try await workspace.statusStates(of: folder) == reference.states, "\(label): final state differs")
    }

    @Test func crashAfterEveryJournalRecordThenResume() async throws {
        let reference = try await Self.reference()
        #expect(reference.records > 20)
        #expect(reference.states.values.allSatisfy { $0 == "done" })
        try await (1..<reference.records).concurrentForEach(limit: 3) { record in
            let workspace = try RunWorkspace(label: "crash-\(record)")
            defer { workspace.remove() }
            let crashed = try await CLIProcess.run(
                ["run", "workflow.yaml", "--quiet", "--crash-after-record", String(record)],
                in: workspace.root + "/" + Self.folder
            )
            // Polling sees a varying number of job statuses, so a run may write fewer records than the reference:
            // then the crash point is never reached and the run must simply have finished.
            if crashed.wasSignalled {
                #expect(crashed.status == SIGKILL, "record \(record): \(crashed.stderr)")
            } else {
                #expect(crashed.status == 0 && record > 20, "record \(record): \(crashed.stderr)")
            }
            try await Self.finishAndCheck(workspace, against: reference, label: "crash after record \(record)")
        }
    }

    @Test func killedFromOutsideAtRandomTimesThenResumed() async throws {
        let reference = try await Self.reference()
        let schedule = KillSchedule(test: "killedFromOutsideAtRandomTimesThenResumed", milliseconds: 20...400)
        try await (0..<20).concurrentForEach(limit: 3) { attempt in
            let workspace = try RunWorkspace(label: "kill-\(attempt)")
            defer { workspace.remove() }
            let delay = schedule.delay(attempt: attempt)
            let process = try CLIProcess(["run", "workflow.yaml", "--quiet"], in: workspace.root + "/" + Self.folder)
            try await Task.sleep(for: .milliseconds(delay))
            process.send(SIGKILL)
            _ = await process.wait()
            try await Self.finishAndCheck(
                workspace,
                against: reference,
                label: schedule.label(attempt: attempt, delay: delay)
            )
        }
    }
}

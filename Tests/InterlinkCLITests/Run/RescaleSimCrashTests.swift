import Foundation
import InterlinkCore
import InterlinkTestSupport
import Testing

/// The engine's crash matrix on the Rescale path: `rescale-int` against `rescale-sim` is killed (SIGKILL) right
/// after each journal record, or from outside at random times, then run again; the emulator's own counts must show
/// every job created and submitted exactly once, and the outputs must equal the local platform's.
@Suite(.tags(.integration)) struct RescaleSimCrashTests {
    static let folder = "examples/dag-shared"
    static let arguments = ["run", "workflow.yaml", "--platform", "rescale", "--poll-interval", "0.1", "--quiet"]

    /// What an uncrashed run on the emulator leaves: its journal length and outputs.
    static func reference() async throws -> (records: Int, results: [String: String]) {
        let sim = try await SimProcess()
        let workspace = try RunWorkspace(label: "sim-crash-reference")
        defer { workspace.remove() }
        let run = try await CLIProcess.run(
            arguments,
            in: workspace.root + "/" + folder,
            environment: sim.environment(configHome: workspace.root + "/config")
        )
        await sim.stop()
        try #require(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        let local = try RunWorkspace(label: "sim-crash-local")
        defer { local.remove() }
        let localRun = try await CLIProcess.run(["run", "workflow.yaml", "--quiet"], in: local.root + "/" + folder)
        try #require(localRun.status == 0, "\(localRun.stderr)")
        #expect(workspace.results(in: folder) == local.results(in: folder), "the emulator's outputs differ from local")
        return (try workspace.journal(in: folder).count, workspace.results(in: folder))
    }

    /// Runs again until exit 0 (at most 4 times), then checks the emulator's counts and the outputs.
    static func finishAndCheck(
        _ workspace: RunWorkspace,
        sim: SimProcess,
        results: [String: String],
        label: String
    ) async throws {
        let environment = sim.environment(configHome: workspace.root + "/config")
        var finished = false
        for _ in 0..<4 where !finished {
            let run = try await CLIProcess.run(arguments, in: workspace.root + "/" + folder, environment: environment)
            finished = run.status == 0
        }
        let counts = try await sim.counts()
        #expect(finished, "\(label): the resumed run did not finish")
        #expect(counts["creates"] as? Int == 3, "\(label): \(counts["creates"] ?? "?") jobs created")
        let perName = counts["createsByName"] as? [String: Int] ?? [:]
        #expect(perName.count == 3 && perName.values.allSatisfy { $0 == 1 }, "\(label): \(perName)")
        let jobs = counts["jobs"] as? [String: [String: Any]] ?? [:]
        #expect(jobs.values.allSatisfy { $0["submits"] as? Int == 1 }, "\(label): a job was submitted twice")
        let downloads = try workspace.journal(in: folder).filter {
            $0["kind"] as? String == "outcome" && $0["stage"] as? String == "download" && $0["item"] != nil
                && $0["result"] as? String == "succeeded"
        }
        let perOutput = Dictionary(grouping: downloads) { "\($0["node"] ?? "")/\($0["item"] ?? "")" }
        #expect(perOutput.values.allSatisfy { $0.count == 1 }, "\(label): an output was downloaded twice")
        #expect(workspace.results(in: folder) == results, "\(label): outputs differ")
    }

    @Test func crashAfterEveryJournalRecordThenResume() async throws {
        let reference = try await Self.reference()
        #expect(reference.records > 20)
        try await (1..<reference.records).concurrentForEach(limit: 3) { record in
            let sim = try await SimProcess()
            let workspace = try RunWorkspace(label: "sim-crash-\(record)")
            defer { workspace.remove() }
            let crashed = try await CLIProcess.run(
                Self.arguments + ["--crash-after-record", String(record)],
                in: workspace.root + "/" + Self.folder,
                environment: sim.environment(configHome: workspace.root + "/config")
            )
            // Polling sees a varying number of statuses, so a run may write fewer records than the reference.
            if crashed.wasSignalled {
                #expect(crashed.status == SIGKILL, "record \(record): \(crashed.stderr)")
            } else {
                #expect(crashed.status == 0 && record > 20, "record \(record): \(crashed.stderr)")
            }
            try await Self.finishAndCheck(
                workspace,
                sim: sim,
                results: reference.results,
                label: "crash after record \(record)"
            )
            await sim.stop()
        }
    }

    @Test func killedFromOutsideAtRandomTimesThenResumed() async throws {
        let reference = try await Self.reference()
        let schedule = KillSchedule(
            test: "RescaleSimCrashTests.killedFromOutsideAtRandomTimesThenResumed",
            milliseconds: 20...800
        )
        try await (0..<10).concurrentForEach(limit: 3) { attempt in
            let sim = try await SimProcess()
            let workspace = try RunWorkspace(label: "sim-kill-\(attempt)")
            defer { workspace.remove() }
            let process = try CLIProcess(
                Self.arguments,
                in: workspace.root + "/" + Self.folder,
                environment: sim.environment(configHome: workspace.root + "/config")
            )
            let delay = schedule.delay(attempt: attempt)
            try await Task.sleep(for: .milliseconds(delay))
            process.send(SIGKILL)
            _ = await process.wait()
            try await Self.finishAndCheck(
                workspace,
                sim: sim,
                results: reference.results,
                label: schedule.label(attempt: attempt, delay: delay)
            )
            await sim.stop()
        }
    }
}

import Foundation
import InterlinkTestSupport
import Testing

/// Issue 11 item 3: creates in flight when `rescale-int` is killed are waited out, not made twice.
///
/// The emulator reads each create whole and acts on it 9 s later whether or not the client is still there
/// (`jobs.create:1:delay=9000:…`), so a run killed while its creates are in flight leaves jobs that appear on the
/// platform after the kill. Resumed at once, the run must wait for the journaled deadline before it looks the jobs
/// up, then adopt them: one job per name, each submitted once, none left unsubmitted.
@Suite(.tags(.integration)) struct RescaleSimInFlightTests {
    static let folder = "examples/dag-shared"
    static let workflow = """
        version: 1
        name: inflight
        jobs:
          - name: first
            inputs: [mesh]
            command: "echo first > first.out"
          - name: second
            inputs: [mesh]
            command: "echo second > second.out"
          - name: third
            inputs: [mesh]
            command: "echo third > third.out"
        """
    static let arguments = ["run", "inflight.yaml", "--platform", "rescale", "--poll-interval", "0.1", "--quiet"]

    /// The journal's records while the run may still be writing it: none until its folder is in place, and a torn
    /// last line is left out.
    static func records(_ workspace: RunWorkspace) -> [[String: Any]] {
        let runs = workspace.root + "/" + folder + "/.interlink/runs"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: runs)) ?? []
        guard let name = names.first(where: { !$0.hasPrefix(".") }),
            let text = try? String(contentsOfFile: runs + "/" + name + "/journal.jsonl", encoding: .utf8)
        else { return [] }
        return text.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
    }

    /// The create intents among the records.
    static func createIntents(_ records: [[String: Any]]) -> [[String: Any]] {
        records.filter { $0["kind"] as? String == "intent" && $0["stage"] as? String == "create" }
    }

    @Test func createsInFlightAtAKillAreWaitedOutThenAdopted() async throws {
        // 9 s: the kill must land while the creates are held. With 3.5 s, a suite run with no bound on its
        // parallelism on two cores woke this test's 20 ms polls too late once, and the run had ended.
        let sim = try await SimProcess(["--fault", "jobs.create:1:delay=9000:100"])
        let workspace = try RunWorkspace(label: "sim-inflight")
        defer { workspace.remove() }
        try Self.workflow.write(
            toFile: workspace.root + "/" + Self.folder + "/inflight.yaml",
            atomically: true,
            encoding: .utf8
        )
        var environment = sim.environment(configHome: workspace.root + "/config")
        environment["INTERLINK_REQUEST_TIMEOUT"] = "10"
        // A create's deadline is its intent + 10 s + this: the resumed run must reach its settle wait before that to
        // say why it waits. With 1 s, a debug build starting under CI's parallel load arrived late once (no wait,
        // no message); 4 s leaves about 8 s for the kill and the restart.
        environment["INTERLINK_REQUEST_SETTLE"] = "4"
        let directory = workspace.root + "/" + Self.folder
        let process = try CLIProcess(Self.arguments, in: directory, environment: environment)
        // Kill once a create is on its way (journaled, then 0.3 s for the request to reach the emulator, which acts
        // on it 9 s after it arrived, inside the client's 10 s request timeout).
        let started = ContinuousClock.now
        while Self.createIntents(Self.records(workspace)).isEmpty, ContinuousClock.now - started < .seconds(20) {
            try await Task.sleep(for: .milliseconds(20))
        }
        try await Task.sleep(for: .milliseconds(300))
        process.send(SIGKILL)
        let killed = await process.wait()
        #expect(killed.wasSignalled, "the run ended before it was killed: \(killed.stderr)")
        let atKill = Self.records(workspace)
        let inFlight = Self.createIntents(atKill)
        #expect(!inFlight.isEmpty, "no create was in flight at the kill")
        #expect(inFlight.allSatisfy { $0["deadline"] is String }, "a create intent has no deadline: \(inFlight)")
        let createOutcomes = atKill.filter { $0["kind"] as? String == "outcome" && $0["stage"] as? String == "create" }
        #expect(createOutcomes.isEmpty, "a create finished before the kill: \(createOutcomes)")

        let resumeStarted = ContinuousClock.now
        let resumed = try await CLIProcess.run(Self.arguments, in: directory, environment: environment)
        let elapsed = resumed.outputEnded - resumeStarted
        #expect(resumed.status == 0, "\(resumed.stdout)\n\(resumed.stderr)")
        #expect(
            resumed.stderr.contains("for create requests of the interrupted run to settle (a request sent before the "),
            "the resumed run did not say why it waits: \(resumed.stderr)"
        )
        #expect(elapsed < .seconds(45))

        let counts = try await sim.counts()
        let jobs = (counts["jobs"] as? [String: [String: Any]] ?? [:]).values
        let perName = Dictionary(grouping: jobs) { ($0["name"] as? String ?? "").split(separator: " ").first ?? "" }
        #expect(perName.keys.sorted() == ["first", "second", "third"], "\(perName.keys)")
        #expect(perName.values.allSatisfy { $0.count == 1 }, "a name has more than one job: \(perName)")
        #expect(jobs.allSatisfy { $0["submits"] as? Int == 1 }, "a job is unsubmitted or submitted twice: \(jobs)")
        // Waited out, the creates are adopted: no second create was ever sent, so none had to be deleted.
        let createsByName = counts["createsByName"] as? [String: Int] ?? [:]
        #expect(createsByName.count == 3 && createsByName.values.allSatisfy { $0 == 1 }, "\(createsByName)")
        let reconciled = try workspace.journal(in: Self.folder).filter {
            $0["kind"] as? String == "outcome" && $0["stage"] as? String == "create"
                && $0["reconciled"] as? Bool == true
        }
        #expect(reconciled.count == inFlight.count, "\(reconciled.count) of \(inFlight.count) creates adopted")
        #expect(reconciled.allSatisfy { $0["result"] as? String == "succeeded" }, "\(reconciled)")
        await sim.stop()
    }
}

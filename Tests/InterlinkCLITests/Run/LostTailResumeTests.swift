import Foundation
import InterlinkCore
import InterlinkSystem
import InterlinkTestSupport
import Testing

/// A real journal cut short and resumed with the real binary, on the local platform and on `rescale-sim`.
///
/// The tail is lost while the platform keeps everything the lost records said: the platform must end with
/// exactly one job per marker, each submitted once, and the results must be those of an uninterrupted run.
@Suite(.tags(.integration)) struct LostTailResumeTests {
    static let folder = "examples/dag-shared"

    /// Copies a finished study to `copy` (`cp -a`, so the local platform's records go with it) and cuts the copy's
    /// journal after its first `kept` lines.
    static func cutCopy(of study: String, to copy: String, keeping kept: Int) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/cp")
        process.arguments = ["-a", study, copy]
        try process.run()
        ProcessExit.wait(process)
        try #require(process.terminationStatus == 0)
        let runs = copy + "/.interlink/runs"
        let id = try #require(try FileManager.default.contentsOfDirectory(atPath: runs).first { !$0.hasPrefix(".") })
        let journal = runs + "/" + id + "/journal.jsonl"
        let lines = try Data(contentsOf: URL(fileURLWithPath: journal)).split(separator: UInt8(ascii: "\n"))
        try lines.prefix(kept).map { Data($0) + Data("\n".utf8) }.reduce(Data(), +)
            .write(to: URL(fileURLWithPath: journal))
    }

    /// The lines just before and just after the first create intent: a cut there loses the intent (the listing
    /// must find the job) or keeps it without its outcome (reconciliation must).
    static func createBoundaries(of journal: [[String: Any]]) -> [Int] {
        guard
            let index = journal.firstIndex(where: {
                $0["kind"] as? String == "intent" && $0["stage"] as? String == "create"
            })
        else { return [] }
        return [index, index + 1]
    }

    /// Every third cut, and the cuts around the first create: each resume is a process, so the binary covers a
    /// sample while `LostTailTests` (in-process) covers every cut.
    static func cuts(of journal: [[String: Any]]) -> [Int] {
        Set(stride(from: 1, to: journal.count, by: 3)).union(createBoundaries(of: journal)).sorted()
    }

    @Test func cutsOfALocalJournalResumeWithOneJobPerMarker() async throws {
        let workspace = try RunWorkspace(label: "lost-tail")
        defer { workspace.remove() }
        let study = workspace.root + "/" + Self.folder
        let first = try await CLIProcess.run(["run", "workflow.yaml", "--quiet"], in: study)
        try #require(first.status == 0, "\(first.stderr)")
        let reference = workspace.results(in: Self.folder)
        let journal = try workspace.journal(in: Self.folder)
        let total = journal.count
        #expect(total > 20)
        try await Self.cuts(of: journal).concurrentForEach(limit: 3) { kept in
            let name = "cut-\(kept)"
            try Self.cutCopy(of: study, to: workspace.root + "/" + name, keeping: kept)
            let resumed = try await CLIProcess.run(["resume", "--quiet"], in: workspace.root + "/" + name)
            let label = "journal cut after line \(kept) of \(total)"
            #expect(resumed.status == 0, "\(label): \(resumed.stderr)")
            let jobs = try workspace.cloudRecords("jobs", in: name)
            #expect(jobs.count == 3, "\(label): \(jobs.count) jobs")
            #expect(Set(jobs.compactMap { $0["idempotencyKey"] as? String }).count == 3, "\(label)")
            #expect(jobs.allSatisfy { $0["submitCount"] as? Int == 1 }, "\(label): a job was submitted twice")
            #expect(workspace.results(in: name) == reference, "\(label): results differ")
        }
    }

    @Test func aRescaleJournalCutAroundItsFirstCreateResumesWithoutCreatingAgain() async throws {
        let sim = try await SimProcess()
        let workspace = try RunWorkspace(label: "lost-tail-sim")
        defer { workspace.remove() }
        let environment = sim.environment(configHome: workspace.root + "/config")
        let study = workspace.root + "/" + Self.folder
        let arguments = ["run", "workflow.yaml", "--platform", "rescale", "--poll-interval", "0.1", "--quiet"]
        let first = try await CLIProcess.run(arguments, in: study, environment: environment)
        try #require(first.status == 0, "\(first.stderr)")
        let reference = workspace.results(in: Self.folder)
        let journal = try workspace.journal(in: Self.folder)
        let total = journal.count
        let cuts = Self.createBoundaries(of: journal)
        #expect(cuts.count == 2)
        // Every copy resumes the same run against the same emulator, whose jobs all exist: none may be created.
        try await cuts.concurrentForEach(limit: 2) { kept in
            let name = "cut-\(kept)"
            try Self.cutCopy(of: study, to: workspace.root + "/" + name, keeping: kept)
            let resumed = try await CLIProcess.run(
                ["resume", "--quiet", "--poll-interval", "0.1"],
                in: workspace.root + "/" + name,
                environment: environment
            )
            let label = "journal cut after line \(kept) of \(total)"
            #expect(resumed.status == 0, "\(label): \(resumed.stderr)")
            #expect(workspace.results(in: name) == reference, "\(label): results differ")
        }
        let counts = try await sim.counts()
        await sim.stop()
        #expect(counts["creates"] as? Int == 3, "\(counts["creates"] ?? "?") jobs created")
        let jobs = counts["jobs"] as? [String: [String: Any]] ?? [:]
        #expect(jobs.values.allSatisfy { $0["submits"] as? Int == 1 }, "a job was submitted twice: \(jobs)")
    }
}

import Foundation
import Testing

/// Reruns a user can trust, on the local platform: a changed byte redoes its job, a touch redoes nothing, and an
/// archive several jobs name goes up once.
@Suite(.tags(.integration)) struct RerunTests {
    /// Every `result.txt` the jobs downloaded (`results/<job>/<run directory>/`), by job.
    static func results(_ directory: String) -> [String: String] {
        var results: [String: String] = [:]
        for run in ["Run_1", "Run_2", "Run_3"] {
            let path = directory + "/results/" + run + "/" + run + "/result.txt"
            results[run] = try? String(contentsOfFile: path, encoding: .utf8)
        }
        return results
    }

    @Test func aSameSizeEditRedoesExactlyThatJobAndATouchRedoesNothing() async throws {
        let workspace = try RunWorkspace(label: "rerun")
        defer { workspace.remove() }
        let folder = "examples/pur-basic"
        let directory = workspace.root + "/" + folder
        let first = try await CLIProcess.run(["run", "jobs.csv", "--quiet"], in: directory)
        try #require(first.status == 0, "\(first.stdout)\n\(first.stderr)")
        #expect(Self.results(directory)["Run_2"]?.contains("sum 30") == true, "\(Self.results(directory))")
        // 6+10+14 becomes 6+11+14: the same size. Run_1's input is touched and left as it was.
        try "6\n11\n14\n".write(toFile: directory + "/Run_2/input.txt", atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes(
            [.modificationDate: Date().addingTimeInterval(5)],
            ofItemAtPath: directory + "/Run_1/input.txt"
        )
        let second = try await CLIProcess.run(["run", "jobs.csv"], in: directory)
        #expect(second.status == 0, "\(second.stdout)\n\(second.stderr)")
        #expect(!second.stdout.contains("already complete"), "\(second.stdout)")
        let jobs = try workspace.cloudRecords("jobs", in: folder)
        #expect(jobs.count == 4, "expected one job redone, the cloud holds \(jobs.count)")
        #expect(Self.results(directory)["Run_2"]?.contains("sum 31") == true, "\(Self.results(directory))")
        #expect(Self.results(directory)["Run_1"]?.contains("sum") == true)
        let third = try await CLIProcess.run(["run", "jobs.csv"], in: directory)
        #expect(third.status == 0)
        #expect(third.stdout.contains("already complete (3 jobs): nothing to do"), "\(third.stdout)")
        #expect(FileManager.default.fileExists(atPath: directory + "/.interlink/stat-cache"))
        #expect(try workspace.cloudRecords("jobs", in: folder).count == 4)
    }

    @Test func aCompleteRunIsCheckedWithoutReadingTheLocalCloudAndAMissingOutputReadsIt() async throws {
        let workspace = try RunWorkspace(label: "rerun-unopened")
        defer { workspace.remove() }
        let directory = workspace.root + "/examples/pur-basic"
        let first = try await CLIProcess.run(["run", "jobs.csv", "--quiet"], in: directory)
        try #require(first.status == 0, "\(first.stdout)\n\(first.stderr)")
        // A record line the cloud cannot read: opening the cloud fails from now on.
        let records = URL(fileURLWithPath: directory + "/.interlink/local/records.jsonl")
        let log = try FileHandle(forWritingTo: records)
        try log.seekToEnd()
        try log.write(contentsOf: Data("{\"not a record\n".utf8))
        try log.close()
        let again = try await CLIProcess.run(["run", "jobs.csv"], in: directory)
        #expect(again.status == 0, "\(again.stdout)\n\(again.stderr)")
        #expect(again.stdout.contains("already complete (3 jobs): nothing to do"), "\(again.stdout)")
        // An output gone: downloading it again needs the cloud, whose corrupt record is then reported.
        try FileManager.default.removeItem(atPath: directory + "/results/Run_2/Run_2/result.txt")
        let missing = try await CLIProcess.run(["run", "jobs.csv"], in: directory)
        #expect(missing.status != 0, "\(missing.stdout)\n\(missing.stderr)")
        let said = missing.stdout + missing.stderr
        #expect(said.contains("cannot open the local platform") && said.contains("records.jsonl"), "\(said)")
    }

    @Test func anArchiveTwoJobsNameIsArchivedAndUploadedOnce() async throws {
        let workspace = try RunWorkspace(label: "shared-archive")
        defer { workspace.remove() }
        let folder = "examples/dag-shared"
        let run = try await CLIProcess.run(["run", "workflow.yaml", "--quiet"], in: workspace.root + "/" + folder)
        try #require(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        // Input files only: outputs are registered with their job.
        let inputs = try workspace.cloudRecords("files", in: folder).filter { $0["jobId"] == nil }
        let names = inputs.compactMap { $0["name"] as? String }
        #expect(names.sorted() == ["mesh.tar", "solver.tar"], "\(names)")
        let results = workspace.results(in: folder)
        #expect(
            results.keys.contains { $0.hasSuffix("coarse.out") } && results.keys.contains { $0.hasSuffix("fine.out") }
        )
    }
}

import Foundation
import InterlinkSystem
import Testing

/// A study folder copied with `cp -a` or moved acts, on `resume`, on the folder it is in now: never on the paths
/// recorded when it started.
@Suite(.tags(.integration)) struct RelocationTests {
    static let folder = "examples/dag-shared"

    /// Copies (`cp -a`) or moves (`mv`) `from` to `to`, as a user would.
    static func shell(_ tool: String, _ from: String, _ to: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/\(tool)")
        process.arguments = tool == "cp" ? ["-a", from, to] : [from, to]
        try process.run()
        ProcessExit.wait(process)
        #expect(process.terminationStatus == 0)
    }

    /// Stops a run of dag-shared after `record` journal records (SIGKILL), leaving a partial study.
    static func partialRun(in workspace: RunWorkspace, after record: Int) async throws {
        let crashed = try await CLIProcess.run(
            ["run", "workflow.yaml", "--quiet", "--crash-after-record", String(record)],
            in: workspace.root + "/" + folder
        )
        #expect(crashed.wasSignalled, "\(crashed.stderr)")
    }

    /// The raw bytes of every file under a folder's `.interlink/runs` and `results`, by relative path.
    static func snapshot(_ folder: String) -> [String: Data] {
        var files: [String: Data] = [:]
        for part in [".interlink/runs", "results"] {
            let base = folder + "/" + part
            let enumerator = FileManager.default.enumerator(atPath: base)
            while let path = enumerator?.nextObject() as? String {
                if let data = FileManager.default.contents(atPath: base + "/" + path), !path.hasSuffix("lock") {
                    files[part + "/" + path] = data
                }
            }
        }
        return files
    }

    @Test func aCopiedStudyResumesInTheCopyAndLeavesTheOriginalUntouched() async throws {
        let workspace = try RunWorkspace(label: "copy")
        defer { workspace.remove() }
        let original = workspace.root + "/" + Self.folder
        // Part-way: the shared input and some job steps are done, the rest is not.
        try await Self.partialRun(in: workspace, after: 14)
        let copy = workspace.root + "/elsewhere/copy"
        try FileManager.default.createDirectory(
            atPath: workspace.root + "/elsewhere",
            withIntermediateDirectories: true
        )
        try Self.shell("cp", original, copy)
        let before = Self.snapshot(original)
        #expect(!before.isEmpty)
        let run = try workspace.runDirectory(in: "elsewhere/copy")
        let resumed = try await CLIProcess.run(["resume", run, "--quiet"], in: workspace.root)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(Self.snapshot(original) == before, "the copy's resume changed the original")
        let results = workspace.results(in: "elsewhere/copy")
        #expect(
            Set(results.keys).isSuperset(of: ["solve-coarse/coarse.out", "solve-fine/fine.out", "post/summary.txt"])
        )
        #expect(try workspace.cloudRecords("jobs", in: "elsewhere/copy").count == 3)
        for file in ["plan.json", "journal.jsonl"] {
            let text = try String(contentsOfFile: run + "/" + file, encoding: .utf8)
            #expect(!text.contains(original), "\(file) names the original folder")
        }
        // The original still finishes on its own, to the same results.
        let finished = try await CLIProcess.run(["resume", "--quiet"], in: original)
        #expect(finished.status == 0, "\(finished.stderr)")
        #expect(workspace.results(in: Self.folder) == results)
        // A completed study copied again: its resume has nothing to redo and still leaves the original alone.
        let done = Self.snapshot(original)
        let second = workspace.root + "/elsewhere/second"
        try Self.shell("cp", original, second)
        let again = try await CLIProcess.run(["resume", "--quiet"], in: second)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(Self.snapshot(original) == done)
        #expect(workspace.results(in: "elsewhere/second") == results)
        #expect(try workspace.cloudRecords("jobs", in: "elsewhere/second").count == 3)
    }

    @Test func aStudyMovedMidRunResumesWhereItIsNow() async throws {
        let workspace = try RunWorkspace(label: "move")
        defer { workspace.remove() }
        let original = workspace.root + "/" + Self.folder
        try await Self.partialRun(in: workspace, after: 14)
        let moved = workspace.root + "/examples/renamed"
        try Self.shell("mv", original, moved)
        let resumed = try await CLIProcess.run(["resume", "--quiet"], in: moved)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(!FileManager.default.fileExists(atPath: original), "the old folder was recreated")
        #expect(try await workspace.statusStates(of: "examples/renamed").values.allSatisfy { $0 == "done" })
        #expect(try workspace.cloudRecords("jobs", in: "examples/renamed").count == 3)
        let results = workspace.results(in: "examples/renamed")
        #expect(
            Set(results.keys).isSuperset(of: ["solve-coarse/coarse.out", "solve-fine/fine.out", "post/summary.txt"])
        )
    }
}

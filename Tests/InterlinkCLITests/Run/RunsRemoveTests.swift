import Foundation
import InterlinkTestSupport
import Testing

@testable import InterlinkCLI

/// `runs rm` and `gc` on the local platform's state, and `--keep-work`, with the real binary.
@Suite(.tags(.integration)) struct RunsRemoveTests {
    static let folder = "examples/dag-shared"

    static func names(_ path: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    /// A one-job workflow that writes `out.txt`.
    static let small = """
        version: 1
        name: small
        jobs:
          - name: small
            inputs: [mesh]
            command: "echo small > out.txt"
        """

    @Test func runsRmRemovesARunAndOnlyTheLocalStateItUses() async throws {
        let workspace = try RunWorkspace(label: "runs-rm")
        defer { workspace.remove() }
        let directory = workspace.root + "/" + Self.folder
        try Self.small.write(toFile: directory + "/small.yaml", atomically: true, encoding: .utf8)
        let first = try await CLIProcess.run(["run", "workflow.yaml", "--quiet", "--keep-work"], in: directory)
        #expect(first.status == 0, "\(first.stderr)")
        let firstRun = try #require(Self.names(directory + "/.interlink/runs").first)
        #expect(Self.names(directory + "/.interlink/local/work").count == 3, "--keep-work keeps the work directories")
        let second = try await CLIProcess.run(["run", "small.yaml", "--quiet"], in: directory)
        #expect(second.status == 0, "\(second.stderr)")
        let local = directory + "/.interlink/local"
        #expect(try workspace.cloudRecords("jobs", in: Self.folder).count == 4)
        #expect(Self.names(local + "/work").count == 3, "without --keep-work a job's work directory goes")
        let objectsBefore = Self.names(local + "/objects").count

        // Listing keeps each run's tally; removing the run removes its tally, not the other run's.
        let listed = try await CLIProcess.run(["runs"], in: directory)
        #expect(listed.status == 0, "\(listed.stderr)")
        // The removed run's tally first. (Two runs started in the same second need not sort by start: their ids
        // differ only in the random suffix.)
        let runs = [firstRun] + Self.names(directory + "/.interlink/runs").filter { $0 != firstRun }
        #expect(runs.count == 2)
        let tallies = runs.map { run in
            RunTally.path(
                of: directory + "/.interlink/runs/" + run,
                stateDirectory: NSTemporaryDirectory() + "interlink-test-state"
            )
        }
        #expect(tallies.allSatisfy { FileManager.default.fileExists(atPath: $0) }, "\(tallies)")

        let dry = try await CLIProcess.run(["runs", "rm", firstRun, "--dry-run"], in: directory)
        #expect(dry.status == 0 && dry.stdout.hasPrefix("would remove run \(firstRun) and 3 job records"), "\(dry)")
        #expect(Self.names(local + "/objects").count == objectsBefore)
        let removed = try await CLIProcess.run(["runs", "rm", firstRun], in: directory)
        #expect(removed.status == 0, "\(removed.stderr)")
        #expect(removed.stdout.hasPrefix("removed run \(firstRun) and 3 job records"), "\(removed.stdout)")
        #expect(removed.stdout.contains(" freed"))
        #expect(Self.names(directory + "/.interlink/runs").count == 1)
        #expect(tallies.map { FileManager.default.fileExists(atPath: $0) } == [false, true])
        #expect(try workspace.cloudRecords("jobs", in: Self.folder).count == 1)
        #expect(Self.names(local + "/work").isEmpty)
        // The remaining run's input and output objects stay (with their metadata), and it still reads.
        let remainingFiles = try workspace.cloudRecords("files", in: Self.folder)
        let objects = Set(Self.names(local + "/objects").filter { !$0.hasSuffix(".metadata.json") })
        #expect(Set(remainingFiles.compactMap { ($0["pathParts"] as? [String: Any])?["path"] as? String }) == objects)
        #expect(objects.count * 2 < objectsBefore, "\(objects.count) of \(objectsBefore / 2) objects are left")
        let status = try await CLIProcess.run(["status", "--json"], in: directory)
        #expect(status.status == 0, "\(status.stderr)")
        let gc = try await CLIProcess.run(["gc"], in: directory)
        #expect(gc.status == 0 && gc.stdout.hasPrefix("nothing to free"), "\(gc.stdout)")
    }

    @Test func gcRemovesWhatNoRemainingRunUses() async throws {
        let workspace = try RunWorkspace(label: "gc")
        defer { workspace.remove() }
        let directory = workspace.root + "/" + Self.folder
        let run = try await CLIProcess.run(["run", "workflow.yaml", "--quiet"], in: directory)
        #expect(run.status == 0, "\(run.stderr)")
        let local = directory + "/.interlink/local"
        try FileManager.default.removeItem(atPath: try workspace.runDirectory(in: Self.folder))
        try Data("partial".utf8).write(to: URL(fileURLWithPath: local + "/uploads/left-behind"))
        let log = local + "/records.jsonl"
        let logSize = try FileManager.default.attributesOfItem(atPath: log)[.size] as? NSNumber
        let logBytes = try #require(logSize?.intValue)
        let dry = try await CLIProcess.run(["gc", "--dry-run"], in: directory)
        #expect(dry.stdout.hasPrefix("would free 3 job records"), "\(dry.stdout)")
        #expect(dry.stdout.contains("would compact the record log ("), "\(dry.stdout)")
        #expect(!Self.names(local + "/objects").isEmpty)
        let gc = try await CLIProcess.run(["gc"], in: directory)
        #expect(gc.status == 0 && gc.stdout.hasPrefix("freed 3 job records"), "\(gc.stdout)")
        #expect(gc.stdout.contains("compacted the record log: "), "\(gc.stdout)")
        #expect(try workspace.cloudRecords("jobs", in: Self.folder).isEmpty)
        #expect(try workspace.cloudRecords("files", in: Self.folder).isEmpty)
        for kind in ["objects", "uploads", "work", "processes"] {
            #expect(Self.names(local + "/" + kind).isEmpty, "\(kind) is left: \(Self.names(local + "/" + kind))")
        }
        // Nothing is left to keep: the compacted log is empty where it held every change of the run.
        #expect(logBytes > 0)
        #expect((try FileManager.default.attributesOfItem(atPath: log)[.size] as? NSNumber)?.intValue == 0)
        // The platform goes on from the compacted log.
        let again = try await CLIProcess.run(["run", "workflow.yaml", "--quiet"], in: directory)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try workspace.cloudRecords("jobs", in: Self.folder).count == 3)
    }

    @Test func runsRmRefusesAnActiveRunNamingItsRunner() async throws {
        let workspace = try RunWorkspace(label: "runs-rm-active")
        defer { workspace.remove() }
        let directory = workspace.root + "/" + Self.folder
        let gate = workspace.root + "/gate"
        try RunWorkspace.gatedWorkflow(gate: gate).write(
            toFile: directory + "/slow.yaml",
            atomically: true,
            encoding: .utf8
        )
        let runner = try CLIProcess(["run", "slow.yaml", "--quiet", "--poll-interval", "0.1"], in: directory)
        var runs: [String] = []
        for _ in 0..<400 where runs.isEmpty {
            try await Task.sleep(for: .milliseconds(25))
            runs = Self.names(directory + "/.interlink/runs").filter {
                FileManager.default.fileExists(atPath: directory + "/.interlink/runs/\($0)/plan.json")
            }
        }
        let id = try #require(runs.first)
        let refused = try await CLIProcess.run(["runs", "rm", id], in: directory)
        #expect(refused.status == 75, "\(refused.stderr)")
        #expect(refused.stderr.contains("cannot remove run '\(id)': it is in use by pid"), "\(refused.stderr)")
        #expect(refused.stderr.contains("('rescale-int run slow.yaml --quiet --poll-interval 0.1')"))
        // gc leaves the record log alone while the run writes to it.
        let log = directory + "/.interlink/local/records.jsonl"
        let inode = try FileManager.default.attributesOfItem(atPath: log)[.systemFileNumber] as? NSNumber
        let gc = try await CLIProcess.run(["gc"], in: directory)
        #expect(gc.status == 0, "\(gc.stderr)")
        #expect(gc.stdout.contains("record log kept as it is ("), "\(gc.stdout)")
        #expect(try FileManager.default.attributesOfItem(atPath: log)[.systemFileNumber] as? NSNumber == inode)
        try Data().write(to: URL(fileURLWithPath: gate))
        let finished = await runner.wait()
        #expect(finished.status == 0, "\(finished.stderr)")
        #expect(FileManager.default.fileExists(atPath: directory + "/.interlink/runs/" + id))
    }
}

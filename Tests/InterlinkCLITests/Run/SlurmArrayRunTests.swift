import Foundation
import InterlinkTestSupport
import Testing

/// `slurm: {array: true}` through the real binary on the shared single-node cluster: a sweep goes as one array, a
/// failed task is retried alone, and a runner killed after the array's intents submits nothing twice.
@Suite(.tags(.integration), .disabled(if: SlurmTestCluster.isWaived, Comment(rawValue: SlurmTestCluster.waivedComment)))
struct SlurmArrayRunTests {
    /// A sweep of six jobs; job 3 fails with status 3 unless `gate` exists.
    static func sweep(gate: String) -> String {
        """
        version: 1
        name: sweep
        platform: slurm
        slurm:
          array: true
          submit-rate: 100
        jobs:
          - name: "s-{n}"
            matrix:
              n: [1, 2, 3, 4, 5, 6]
            command: "if [ {n} = 3 ] && [ ! -e '\(gate)' ]; then exit 3; fi; echo {n} > out-{n}.txt"
        """
    }

    static func run(_ directory: String, cluster: SlurmTestCluster.Cluster, extra: [String] = []) async throws
        -> CLIProcess.Result
    {
        try await CLIProcess.run(
            ["run", "sweep.yaml", "--quiet", "--poll-interval", "0.2"] + extra,
            in: directory,
            environment: [
                "SLURM_CONF": cluster.configuration, "INTERLINK_SLURM_SUBMIT_TIMEOUT": "2s",
            ]
        )
    }

    /// For each job's marker under the work root: the Slurm jobs that ran it, plain (named by the marker) or as an
    /// array task (the array's link for the task's index names the job).
    static func submissionsPerJob(workRoot: String, cluster: SlurmTestCluster.Cluster) async throws -> [String: Int] {
        let manager = FileManager.default
        let listing = try await ChildProcess.run(
            "/usr/bin/env",
            ["squeue", "-t", "all", "-h", "-o", "%i|%j|%k"],
            environment: cluster.environment
        )
        let rows = listing.stdoutText.split(separator: "\n").map { $0.split(separator: "|").map(String.init) }
        var counts: [String: Int] = [:]
        for marker in (try? manager.contentsOfDirectory(atPath: workRoot + "/jobs")) ?? [] where marker.hasPrefix("il-")
        {
            counts[marker] = rows.filter { $0.count == 3 && $0[1] == marker && $0[2] == marker }.count
        }
        for array in (try? manager.contentsOfDirectory(atPath: workRoot + "/arrays")) ?? [] {
            for row in rows where row.count == 3 && row[1] == array && row[2] == array {
                let index = try #require(row[0].split(separator: "_").last.map(String.init))
                let link = try manager.destinationOfSymbolicLink(atPath: workRoot + "/arrays/" + array + "/" + index)
                counts[(link as NSString).lastPathComponent, default: 0] += 1
            }
        }
        return counts
    }

    @Test func aSweepGoesAsOneArrayAndAFailedTaskIsRetriedAlone() async throws {
        let cluster = try await SlurmTestCluster.shared()
        let directory = try makeWorkspace([:], label: "slurm-array-retry")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Self.sweep(gate: directory + "/gate").write(
            toFile: directory + "/sweep.yaml",
            atomically: true,
            encoding: .utf8
        )
        let first = try await Self.run(directory, cluster: cluster)
        #expect(first.status == 1, "\(first.stdout)\n\(first.stderr)")
        #expect(try SlurmRunTests.journalText(in: directory).contains("the command exited with status 3"))
        let workRoot = directory + "/.interlink/slurm"
        let arrays = try FileManager.default.contentsOfDirectory(atPath: workRoot + "/arrays")
        #expect(arrays.count == 1, "\(arrays)")
        try Data().write(to: URL(fileURLWithPath: directory + "/gate"))
        let second = try await Self.run(directory, cluster: cluster)
        #expect(second.status == 0, "\(second.stdout)\n\(second.stderr)")
        // The retry went alone: no second array, and the new job's id is a plain one.
        #expect(try FileManager.default.contentsOfDirectory(atPath: workRoot + "/arrays") == arrays)
        let ids = try FileManager.default.contentsOfDirectory(atPath: workRoot + "/jobs").map {
            try String(contentsOfFile: workRoot + "/jobs/" + $0 + "/slurm-id", encoding: .utf8)
        }
        #expect(ids.count == 7 && ids.filter { !$0.contains("_") }.count == 1, "\(ids)")
        for n in 1...6 {
            let path = directory + "/results/s-\(n)/out-\(n).txt"
            #expect((try? String(contentsOfFile: path, encoding: .utf8)) == "\(n)\n", "\(path)")
        }
        let perJob = try await Self.submissionsPerJob(workRoot: workRoot, cluster: cluster)
        #expect(perJob.count == 7 && perJob.values.allSatisfy { $0 == 1 }, "\(perJob)")
    }

    @Test func aRunnerKilledAfterTheArraysIntentsSubmitsNothingTwice() async throws {
        let cluster = try await SlurmTestCluster.shared()
        let reference = try makeWorkspace([:], label: "slurm-array-reference")
        defer { try? FileManager.default.removeItem(atPath: reference) }
        try Self.sweep(gate: "/").write(toFile: reference + "/sweep.yaml", atomically: true, encoding: .utf8)
        let clean = try await Self.run(reference, cluster: cluster)
        try #require(clean.status == 0, "\(clean.stderr)")
        let records = try SlurmRunTests.journalText(in: reference).split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        let submits = records.indices.filter { records[$0]["stage"] as? String == "submit" }
        let intents = submits.filter { records[$0]["kind"] as? String == "intent" }
        let outcomes = submits.filter { records[$0]["kind"] as? String == "outcome" }
        let firstIntent = try #require(intents.first)
        let lastIntent = try #require(intents.last)
        let firstOutcome = try #require(outcomes.first)
        #expect(intents.count == 6 && lastIntent < firstOutcome, "\(intents) \(outcomes)")
        // Right after the first intent, after all six (the array not yet sent), and after the first outcome.
        try await [firstIntent + 1, lastIntent + 1, firstOutcome + 1].concurrentForEach(limit: 3) { record in
            let directory = try makeWorkspace([:], label: "slurm-array-crash-\(record)")
            defer { try? FileManager.default.removeItem(atPath: directory) }
            try Self.sweep(gate: "/").write(toFile: directory + "/sweep.yaml", atomically: true, encoding: .utf8)
            let crashed = try await Self.run(directory, cluster: cluster, extra: ["--crash-after-record", "\(record)"])
            #expect(crashed.wasSignalled, "record \(record): \(crashed.status) \(crashed.stderr)")
            let resumed = try await Self.run(directory, cluster: cluster)
            #expect(resumed.status == 0, "record \(record): \(resumed.stdout)\n\(resumed.stderr)")
            for n in 1...6 {
                let path = directory + "/results/s-\(n)/out-\(n).txt"
                #expect((try? String(contentsOfFile: path, encoding: .utf8)) == "\(n)\n", "record \(record): \(path)")
            }
            let perJob = try await Self.submissionsPerJob(workRoot: directory + "/.interlink/slurm", cluster: cluster)
            #expect(perJob.count == 6 && perJob.values.allSatisfy { $0 == 1 }, "record \(record): \(perJob)")
        }
    }
}

import Foundation
import InterlinkCore
import InterlinkTestSupport
import SlurmPlatform
import Testing

/// Sweeps as job arrays (`slurm: {array: true}`) on a real single-node cluster: one `sbatch` for the jobs of a
/// sweep that arrive together, each task's own result and outputs, a lost answer found by the array's marker, a
/// split at the cluster's `MaxArraySize`, and a pending task cancelled.
@Suite(.tags(.integration), .disabled(if: SlurmTestCluster.isWaived, Comment(rawValue: SlurmTestCluster.waivedComment)))
struct SlurmArrayTests {
    /// An array platform on `cluster` (16 submissions in flight, 300 ms for a sweep's jobs to arrive).
    static func platform(_ cluster: SlurmTestCluster.Cluster, root: String, extra: [String] = []) -> SlurmPlatform {
        SlurmClusterFixture.platform(
            cluster,
            root: root,
            settings: SlurmSettings(sbatchArguments: extra, submitRate: 100, array: true),
            concurrentSubmissions: 16,
            arrayQuiet: .milliseconds(300)
        )
    }

    /// Creates `count` jobs of one sweep (job 5 exits 3) and submits them all at once.
    static func submitSweep(_ count: Int, on platform: SlurmPlatform) async throws -> [JobID] {
        try await platform.prepareStorage()
        let run = UUID().uuidString
        var jobs: [JobID] = []
        for index in 0..<count {
            let command = index == 5 ? "echo five > five.txt; exit 3" : "echo \(index) > out.txt"
            jobs.append(
                try await platform.createJob(
                    SlurmClusterFixture.request(
                        "j\(index)",
                        command: command,
                        key: "\(run)/j\(index)",
                        origin: SourceLocation(file: "sweep.yaml", line: 3, column: 5)
                    )
                )
            )
        }
        try await jobs.concurrentForEach(limit: count) { try await platform.submit($0) }
        return jobs
    }

    static func slurmID(_ job: JobID, root: String) throws -> String {
        try String(contentsOfFile: root + "/jobs/" + job.rawValue + "/slurm-id", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func aSweepGoesAsOneArrayWithEachTasksOwnResult() async throws {
        let cluster = try await SlurmTestCluster.shared()
        let root = SlurmClusterFixture.workRoot("array")
        defer { SlurmClusterFixture.remove(root) }
        let platform = Self.platform(cluster, root: root)
        let jobs = try await Self.submitSweep(12, on: platform)
        #expect(platform.sbatchCalls == 1)
        let ids = try jobs.map { try Self.slurmID($0, root: root) }
        let array = try #require(ids.first?.split(separator: "_").first)
        // Tasks are numbered in the order the jobs joined the array.
        #expect(Set(ids) == Set((0..<12).map { "\(array)_\($0)" }), "\(ids)")
        let statuses = try await SlurmClusterFixture.waitForTerminal(jobs, on: platform)
        #expect(statuses[jobs[5]] == .failed(reason: "the command exited with status 3"))
        #expect(jobs.enumerated().allSatisfy { $0.offset == 5 || statuses[$0.element] == .completed(.success) })
        // Each task ran its own job in its own work directory, with its own log there.
        for index in [0, 5, 11] {
            let outputs = try await platform.listOutputs(of: jobs[index])
            let expected: Set = [index == 5 ? "five.txt" : "out.txt", "process_output.log"]
            #expect(Set(outputs.map(\.relativePath)) == expected, "\(index): \(outputs.map(\.relativePath))")
        }
        let out = try String(contentsOfFile: root + "/jobs/" + jobs[11].rawValue + "/work/out.txt", encoding: .utf8)
        #expect(out == "11\n")
    }

    @Test func aLostArrayAnswerIsFoundByTheArraysMarker() async throws {
        let cluster = try await SlurmTestCluster.shared()
        let root = SlurmClusterFixture.workRoot("array-lost")
        defer { SlurmClusterFixture.remove(root) }
        let jobs = try await Self.submitSweep(3, on: Self.platform(cluster, root: root))
        let ids = try jobs.map { try Self.slurmID($0, root: root) }
        // The answer of sbatch never reached the jobs' records (nor did any task start writing its ids yet, or it
        // did: either way the lookup must find the same task).
        for job in jobs { try FileManager.default.removeItem(atPath: root + "/jobs/" + job.rawValue + "/slurm-id") }
        let second = Self.platform(cluster, root: root)
        for job in jobs { #expect(try await second.status(of: job) != .notSubmitted) }
        try await jobs.concurrentForEach(limit: 3) { try await second.submit($0) }
        #expect(second.sbatchCalls == 0)
        #expect(try jobs.map { try Self.slurmID($0, root: root) } == ids)
        let statuses = try await SlurmClusterFixture.waitForTerminal(jobs, on: second)
        #expect(statuses.values.filter { $0 == .completed(.success) }.count == 3)
    }

    @Test func anArrayIsSplitAtTheClustersMaxArraySize() async throws {
        let cluster = try await SlurmTestCluster.start(label: "arraysize", arguments: ["--max-array-size", "5"])
        let root = SlurmClusterFixture.workRoot("array-split")
        defer { SlurmClusterFixture.remove(root) }
        let platform = Self.platform(cluster, root: root)
        let jobs = try await Self.submitSweep(12, on: platform)
        // MaxArraySize=5: indices 0-4, so 12 jobs are three arrays (5, 5 and 2).
        #expect(platform.sbatchCalls == 3)
        let ids = try jobs.map { try Self.slurmID($0, root: root) }
        let arrays = Dictionary(grouping: ids) { $0.split(separator: "_").first.map(String.init) ?? $0 }
        #expect(arrays.values.map(\.count).sorted() == [2, 5, 5], "\(ids)")
        let statuses = try await SlurmClusterFixture.waitForTerminal(jobs, on: platform)
        #expect(statuses.values.filter { $0 == .completed(.success) }.count == 11)
        try await SlurmTestCluster.control("stop", cluster)
    }

    @Test func aPendingTaskThatIsStoppedIsCancelled() async throws {
        let cluster = try await SlurmTestCluster.shared()
        let root = SlurmClusterFixture.workRoot("array-stop")
        defer { SlurmClusterFixture.remove(root) }
        // Held: the array stays pending, and a pending task that is cancelled vanishes from squeue at once.
        let platform = Self.platform(cluster, root: root, extra: ["--hold"])
        let jobs = try await Self.submitSweep(3, on: platform)
        #expect(platform.sbatchCalls == 1)
        #expect(try await platform.status(of: jobs[1]) == .queued)
        try await jobs.concurrentForEach(limit: 3) { try await platform.stop($0) }
        let statuses = try await SlurmClusterFixture.waitForTerminal(jobs, on: platform)
        #expect(jobs.allSatisfy { statuses[$0] == .stopped(reason: "CANCELLED") }, "\(statuses)")
    }

    @Test func pendingArrayLinesStandForEachTask() {
        #expect(SlurmJobState.expandArrayID("12_[0-2,5%4]") == ["12_0", "12_1", "12_2", "12_5"])
        #expect(SlurmJobState.expandArrayID("12_7") == ["12_7"])
        #expect(SlurmJobState.expandArrayID("12") == ["12"])
        let rows = SlurmJobState.parseQueue("9_[1-2]|ila-x|PENDING|ila-x|None\n9_0|ila-x|RUNNING|ila-x|None\n")
        #expect(rows.map(\.id) == ["9_1", "9_2", "9_0"])
        #expect(rows.map(\.state) == ["PENDING", "PENDING", "RUNNING"])
    }
}

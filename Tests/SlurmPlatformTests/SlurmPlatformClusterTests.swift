import Foundation
import InterlinkCore
import InterlinkSystem
import InterlinkTestSupport
import Logging
import SlurmPlatform
import Testing

/// The platform itself on the shared single-node cluster: submissions are paced, one `squeue` answers for many
/// jobs, a submission is found again by its marker, and an exit code comes back.
@Suite(.tags(.integration), .disabled(if: SlurmTestCluster.isWaived, Comment(rawValue: SlurmTestCluster.waivedComment)))
struct SlurmPlatformClusterTests {
    static func platform(_ cluster: SlurmTestCluster.Cluster, root: String, rate: Double = 10) -> SlurmPlatform {
        SlurmPlatform(
            configuration: SlurmConfiguration(
                settings: SlurmSettings(submitRate: rate),
                workRoot: root,
                environment: cluster.environment
            ),
            fileSystem: LocalFileSystem(),
            logger: Logger(label: "slurm-test")
        )
    }

    static func request(_ name: String, command: String, key: String) -> JobRequest {
        JobRequest(
            name: name,
            spec: JobSpec(
                name: name,
                analysis: AnalysisSpec(code: "user_included"),
                command: command,
                hardware: HardwareSpec(coreType: "emerald", coresPerSlot: 1, walltime: Walltime(hours: 1))
            ),
            inputFiles: [],
            idempotencyKey: IdempotencyKey(key)
        )
    }

    static func waitForTerminal(_ jobs: [JobID], on platform: SlurmPlatform) async throws -> [JobID: JobStatus] {
        try await poll(jobs, on: platform).statuses
    }

    /// Polls every unfinished job at once, every 100 ms, until all are terminal (at most 60 s).
    ///
    /// - Returns: The terminal statuses and the number of rounds.
    static func poll(_ jobs: [JobID], on platform: SlurmPlatform) async throws -> (
        statuses: [JobID: JobStatus], rounds: Int
    ) {
        var statuses: [JobID: JobStatus] = [:]
        var rounds = 0
        let deadline = ContinuousClock.now + .seconds(60)
        while statuses.count < jobs.count, ContinuousClock.now < deadline {
            let pending = jobs.filter { statuses[$0] == nil }
            rounds += 1
            let read = try await pending.concurrentMap(limit: 16) { ($0, try await platform.status(of: $0)) }
            for (job, status) in read where status.isTerminal { statuses[job] = status }
            try await Task.sleep(for: .milliseconds(100))
        }
        return (statuses, rounds)
    }

    @Test func pacesSubmissionsAndReadsManyJobsWithOneQueueCall() async throws {
        let cluster = try await SlurmTestCluster.shared()
        let root = NSTemporaryDirectory() + "interlink-slurm-platform-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let platform = Self.platform(cluster, root: root, rate: 20)
        try await platform.prepareStorage()
        let run = UUID().uuidString
        var jobs: [JobID] = []
        for index in 0..<12 {
            let command = index == 5 ? "exit 3" : "echo \(index) > out.txt"
            jobs.append(
                try await platform.createJob(Self.request("j\(index)", command: command, key: "\(run)/j\(index)"))
            )
        }
        let started = ContinuousClock.now
        try await jobs.concurrentForEach(limit: 12) { try await platform.submit($0) }
        // 12 submissions at 20 per second: 11 intervals of 50 ms at least.
        #expect(started.duration(to: .now) >= .milliseconds(540))
        let before = await platform.queueCalls
        let (statuses, rounds) = try await Self.poll(jobs, on: platform)
        let calls = await platform.queueCalls - before
        #expect(statuses.count == 12)
        #expect(statuses[jobs[5]] == .failed(reason: "the command exited with status 3"))
        #expect(jobs.enumerated().allSatisfy { $0.offset == 5 || statuses[$0.element] == .completed(.success) })
        // Every round asks about up to 12 jobs at once; a call per job would be up to 12 per round.
        #expect(calls >= 1 && calls <= 2 * rounds, "\(calls) squeue calls in \(rounds) rounds")
        let outputs = try await platform.listOutputs(of: jobs[0])
        #expect(Set(outputs.map(\.relativePath)) == ["out.txt", "process_output.log"])
    }

    @Test func aSubmissionWhoseRecordWasLostIsFoundByItsMarker() async throws {
        let cluster = try await SlurmTestCluster.shared()
        let root = NSTemporaryDirectory() + "interlink-slurm-marker-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let first = Self.platform(cluster, root: root)
        try await first.prepareStorage()
        let job = try await first.createJob(Self.request("once", command: "true", key: "\(UUID().uuidString)/once"))
        try await first.submit(job)
        // The answer of sbatch never reached the journal, nor the job's record: a new process looks it up.
        try FileManager.default.removeItem(atPath: root + "/jobs/" + job.rawValue + "/slurm-id")
        let second = Self.platform(cluster, root: root)
        #expect(try await second.status(of: job) != .notSubmitted)
        try await second.submit(job)
        #expect(try await second.queuedJobs(of: job).count == 1)
        let statuses = try await Self.waitForTerminal([job], on: second)
        #expect(statuses[job] == .completed(.success))
    }
}

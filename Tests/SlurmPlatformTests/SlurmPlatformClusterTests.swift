import Foundation
import InterlinkCore
import InterlinkTestSupport
import SlurmPlatform
import Testing

/// The platform itself on the shared single-node cluster: submissions are paced, one `squeue` answers for many
/// jobs, a submission is found again by its marker, and an exit code comes back.
@Suite(.tags(.integration), .disabled(if: SlurmTestCluster.isWaived, Comment(rawValue: SlurmTestCluster.waivedComment)))
struct SlurmPlatformClusterTests {
    /// A platform on `cluster` that submits at most `rate` jobs a second.
    static func platform(_ cluster: SlurmTestCluster.Cluster, root: String, rate: Double = 10) -> SlurmPlatform {
        SlurmClusterFixture.platform(cluster, root: root, settings: SlurmSettings(submitRate: rate))
    }

    @Test func pacesSubmissionsAndReadsManyJobsWithOneQueueCall() async throws {
        let cluster = try await SlurmTestCluster.shared()
        let root = SlurmClusterFixture.workRoot("platform")
        defer { SlurmClusterFixture.remove(root) }
        let platform = Self.platform(cluster, root: root, rate: 20)
        try await platform.prepareStorage()
        let run = UUID().uuidString
        var jobs: [JobID] = []
        for index in 0..<12 {
            let command = index == 5 ? "exit 3" : "echo \(index) > out.txt"
            jobs.append(
                try await platform.createJob(
                    SlurmClusterFixture.request("j\(index)", command: command, key: "\(run)/j\(index)")
                )
            )
        }
        let started = ContinuousClock.now
        try await jobs.concurrentForEach(limit: 12) { try await platform.submit($0) }
        // 12 submissions at 20 per second: 11 intervals of 50 ms at least.
        #expect(started.duration(to: .now) >= .milliseconds(540))
        let before = await platform.queueCalls
        let (statuses, rounds) = try await SlurmClusterFixture.poll(jobs, on: platform)
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
        let root = SlurmClusterFixture.workRoot("marker")
        defer { SlurmClusterFixture.remove(root) }
        let first = Self.platform(cluster, root: root)
        try await first.prepareStorage()
        let job = try await first.createJob(
            SlurmClusterFixture.request("once", command: "true", key: "\(UUID().uuidString)/once")
        )
        try await first.submit(job)
        // The answer of sbatch never reached the journal, nor the job's record: a new process looks it up.
        try FileManager.default.removeItem(atPath: root + "/jobs/" + job.rawValue + "/slurm-id")
        let second = Self.platform(cluster, root: root)
        #expect(try await second.status(of: job) != .notSubmitted)
        try await second.submit(job)
        #expect(try await second.queuedJobs(of: job).count == 1)
        let statuses = try await SlurmClusterFixture.waitForTerminal([job], on: second)
        #expect(statuses[job] == .completed(.success))
    }
}

import Foundation
import InterlinkCore
import InterlinkSystem
import InterlinkTestSupport
import Logging
import SlurmPlatform

/// What the cluster tests of this module share: a platform on the test cluster, a one-core job request, a work
/// root of their own, and polling until jobs end.
enum SlurmClusterFixture {
    /// A platform on `cluster` whose work goes under `root`.
    ///
    /// - Parameters:
    ///   - cluster: The running test cluster.
    ///   - root: The platform's work root.
    ///   - settings: The workflow's Slurm settings.
    ///   - concurrentSubmissions: How many submissions may be in flight at once.
    ///   - arrayQuiet: How long an array waits for more jobs of its sweep.
    /// - Returns: The platform.
    static func platform(
        _ cluster: SlurmTestCluster.Cluster,
        root: String,
        settings: SlurmSettings,
        concurrentSubmissions: Int = 4,
        arrayQuiet: Duration = .milliseconds(250)
    ) -> SlurmPlatform {
        SlurmPlatform(
            configuration: SlurmConfiguration(
                settings: settings,
                workRoot: root,
                environment: cluster.environment,
                concurrentSubmissions: concurrentSubmissions,
                arrayQuiet: arrayQuiet
            ),
            fileSystem: LocalFileSystem(),
            logger: Logger(label: "slurm-test")
        )
    }

    /// A one-core, one-hour job named `name` that runs `command`, with idempotency key `key`.
    ///
    /// - Parameters:
    ///   - name: The job's name.
    ///   - command: Its command.
    ///   - key: Its idempotency key.
    ///   - origin: Where the workflow wrote it, if anywhere.
    /// - Returns: The request.
    static func request(_ name: String, command: String, key: String, origin: SourceLocation? = nil) -> JobRequest {
        JobRequest(
            name: name,
            spec: JobSpec(
                name: name,
                analysis: AnalysisSpec(code: "user_included"),
                command: command,
                hardware: HardwareSpec(coreType: "emerald", coresPerSlot: 1, walltime: Walltime(hours: 1)),
                origin: origin
            ),
            inputFiles: [],
            idempotencyKey: IdempotencyKey(key)
        )
    }

    /// A fresh temporary work root named after `label`; remove it with ``remove(_:)``.
    ///
    /// - Parameter label: Names the test in the directory's name.
    /// - Returns: Its path (not yet created).
    static func workRoot(_ label: String) -> String {
        NSTemporaryDirectory() + "interlink-slurm-\(label)-\(UUID().uuidString)"
    }

    /// Removes a work root.
    ///
    /// - Parameter root: The path ``workRoot(_:)`` gave.
    static func remove(_ root: String) { try? FileManager.default.removeItem(atPath: root) }

    /// Polls `jobs` until every one is terminal (at most 60 s).
    ///
    /// - Parameters:
    ///   - jobs: The jobs.
    ///   - platform: Their platform.
    /// - Returns: The terminal statuses.
    /// - Throws: What a status read throws.
    static func waitForTerminal(_ jobs: [JobID], on platform: SlurmPlatform) async throws -> [JobID: JobStatus] {
        try await poll(jobs, on: platform).statuses
    }

    /// Polls every unfinished job at once, every 100 ms, until all are terminal (at most 60 s).
    ///
    /// - Parameters:
    ///   - jobs: The jobs.
    ///   - platform: Their platform.
    /// - Returns: The terminal statuses and the number of rounds.
    /// - Throws: What a status read throws.
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
}

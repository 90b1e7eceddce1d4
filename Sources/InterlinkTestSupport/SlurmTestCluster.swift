import Foundation

/// The single-node Slurm cluster the Slurm tests share: started once per test process by `scripts/slurm-cluster`
/// in a temporary directory, and stopped by its recorded PIDs when the process ends (the script's `--owner`
/// watcher).
///
/// Such a test is *required*: when Slurm is not installed it fails with ``missingMessage``, unless the run
/// knowingly goes without (`INTERLINK_TEST_NO_SLURM=1`): then it carries `.disabled(if: SlurmTestCluster.isWaived)`
/// and shows as skipped, never as passed.
package actor SlurmTestCluster {
    /// A running cluster.
    package struct Cluster: Sendable {
        /// Its directory (munge socket, slurm.conf, state, logs).
        package var directory: String
        /// Its `slurm.conf`.
        package var configuration: String
        /// This process's environment with `SLURM_CONF` set to the cluster.
        package var environment: [String: String] {
            var environment = ProcessInfo.processInfo.environment
            environment["SLURM_CONF"] = configuration
            return environment
        }
    }

    /// Whether the Slurm tests are knowingly skipped (`INTERLINK_TEST_NO_SLURM=1`).
    package static var isWaived: Bool { ProcessInfo.processInfo.environment["INTERLINK_TEST_NO_SLURM"] == "1" }

    /// Why a required Slurm test cannot run.
    package static let missingMessage =
        "Slurm is not installed: run scripts/test, or apt-get install --no-install-recommends slurmctld slurmd "
        + "slurm-client munge (or set INTERLINK_TEST_NO_SLURM=1 to skip these tests knowingly)"

    /// The reason the skip trait shows.
    package static let waivedComment = "INTERLINK_TEST_NO_SLURM=1: Slurm tests skipped"

    /// The repository's `scripts/slurm-cluster`.
    package static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/slurm-cluster").path

    private static let shared = SlurmTestCluster()
    private var cluster: Cluster?
    private var failure: String?
    private var waiters: [CheckedContinuation<Void, Never>]?

    /// The process's cluster, started on first use.
    ///
    /// - Throws: ``StartError`` naming what is missing or the script's output.
    package static func shared() async throws -> Cluster { try await shared.get() }

    private func get() async throws -> Cluster {
        if waiters != nil { await withCheckedContinuation { waiters?.append($0) } }
        if let cluster { return cluster }
        if let failure { throw StartError(message: failure) }
        waiters = []
        do {
            cluster = try await Self.start(label: "shared")
        } catch let error as StartError {
            failure = error.message
        }
        for waiter in waiters ?? [] { waiter.resume() }
        waiters = nil
        if let cluster { return cluster }
        throw StartError(message: failure ?? "the cluster did not start")
    }

    /// A cluster of its own, for a test that restarts its daemons or needs other limits; stopped when this process
    /// ends or by ``control(_:_:)`` (`stop`).
    ///
    /// - Parameters:
    ///   - label: Names its directory.
    ///   - arguments: Further arguments of `scripts/slurm-cluster start` (`--max-array-size N`).
    /// - Returns: The running cluster.
    /// - Throws: ``StartError`` naming what is missing or the script's output.
    package static func start(label: String, arguments: [String] = []) async throws -> Cluster {
        guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/slurmctld") || which("slurmctld") else {
            throw StartError(message: missingMessage)
        }
        let directory = NSTemporaryDirectory() + "interlink-slurm-\(label)-\(UUID().uuidString.prefix(8))"
        let result = try await ChildProcess.run(
            "/bin/bash",
            [script, "start", directory, "--owner", String(getpid())] + arguments
        )
        guard result.status == 0 else {
            throw StartError(message: "scripts/slurm-cluster start failed (\(result.status)): \(result.stderrText)")
        }
        return Cluster(directory: directory, configuration: directory + "/slurm.conf")
    }

    /// Runs `scripts/slurm-cluster <action> <directory>` (`stop`, `restart-controller`).
    package static func control(_ action: String, _ cluster: Cluster) async throws {
        let result = try await ChildProcess.run("/bin/bash", [script, action, cluster.directory])
        guard result.status == 0 else {
            throw StartError(message: "scripts/slurm-cluster \(action) failed (\(result.status)): \(result.stderrText)")
        }
    }

    private static func which(_ tool: String) -> Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)")
        }
    }

    /// Why the cluster is not there.
    package struct StartError: Error, CustomStringConvertible {
        /// The message.
        package var message: String
        package var description: String { message }
    }
}

import Foundation
import InterlinkCore
import InterlinkSystem
import Logging
import Synchronization

/// The `Platform` port over a Slurm cluster, reached through its client commands and `SLURM_CONF`.
///
/// The stages map onto what a cluster with a shared file system has: an upload stages the input under the work
/// root (a copy with its SHA-512, no tar, encryption or transfer), registration records it, creation writes the
/// job's record, submission places the inputs in the job's work directory (hard links to the staged copy) and
/// calls `sbatch` with the job's marker as name and comment, polling reads one `squeue` for all jobs, and the
/// outputs are the files the job left in its work directory, copied to the destination with their SHA-512.
///
/// Exactly once: the Slurm job id is recorded beside the job once `sbatch` answers; a submission whose answer was
/// lost is found again by its marker (`squeue`, then the job-completion log) before anything is submitted again.
package struct SlurmPlatform: Platform {
    /// The configuration.
    package let configuration: SlurmConfiguration
    /// Where things are under the work root.
    package let layout: SlurmLayout
    /// The client commands.
    package let client: SlurmClient
    /// Where archive inputs are listed.
    package let fileSystem: any FileSystem
    /// Debug logs.
    package let logger: Logger
    let board: SlurmStatusBoard
    let pacer: SubmitPacer
    /// The markers this instance ran `sbatch` for, and when it started: a job created by this process and never
    /// submitted by it cannot be on the cluster, so its submission needs no lookup first.
    let attempts: SubmitAttempts
    /// Collects the jobs of a sweep that go as one array.
    let batcher: SubmitBatcher

    /// Creates the platform.
    ///
    /// - Parameters:
    ///   - configuration: The settings, work root and environment.
    ///   - fileSystem: Where archive inputs are listed (the CLI passes the real one).
    ///   - logger: Where the platform logs.
    package init(configuration: SlurmConfiguration, fileSystem: any FileSystem, logger: Logger) {
        self.configuration = configuration
        self.layout = SlurmLayout(root: configuration.workRoot)
        self.client = SlurmClient(environment: configuration.environment)
        self.fileSystem = fileSystem
        self.logger = logger
        self.board = SlurmStatusBoard(client: client, maximumAge: configuration.snapshotAge)
        self.pacer = SubmitPacer(rate: configuration.settings.submitRate ?? SlurmSettings.defaultSubmitRate)
        self.attempts = SubmitAttempts()
        self.batcher = SubmitBatcher(quiet: configuration.arrayQuiet, window: configuration.arrayWindow)
    }

    package var target: String { configuration.target }

    package var requestWindow: RequestWindow? {
        // The intent is journaled before the submission waits for its turn at the pace, then runs sbatch.
        RequestWindow(timeout: configuration.submissionAllowance, settle: configuration.settle)
    }

    package var groupsSubmissions: Bool { configuration.settings.sendsArrays }

    package func prepareStorage() async throws {
        for directory in ["staged", "files", "jobs"] {
            let path = layout.root + "/" + directory
            do {
                try await Blocking.run {
                    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
                }
            } catch {
                throw PlatformError(.localFile(path: path, message: ErrorText.describe(error)), retryClass: .fatal)
            }
        }
    }

    /// How many `squeue` calls the platform made so far.
    package var queueCalls: Int { get async { await board.queueCalls } }

    /// How many `sbatch` calls the platform made so far (an array is one).
    package var sbatchCalls: Int { attempts.sbatchCalls }
}

/// The markers a platform instance ran `sbatch` for, and the instance's start.
final class SubmitAttempts: Sendable {
    /// When the instance was made.
    let started = Date()
    private let markers = Mutex(Set<String>())
    private let calls = Mutex(0)
    private let arraySize = Mutex<Int?>(nil)

    /// Notes an `sbatch` for a marker.
    func note(_ marker: String) { _ = markers.withLock { $0.insert(marker) } }

    /// Notes an `sbatch` for the markers of an array (one call).
    func note(array markers: [String]) {
        self.markers.withLock { $0.formUnion(markers) }
        calls.withLock { $0 += 1 }
    }

    /// Counts one `sbatch` call.
    func countCall() { calls.withLock { $0 += 1 } }

    /// The `sbatch` calls so far.
    var sbatchCalls: Int { calls.withLock { $0 } }

    /// The cluster's `MaxArraySize` once read.
    var maximumArraySize: Int? {
        get { arraySize.withLock { $0 } }
        set { arraySize.withLock { $0 = newValue } }
    }

    /// Whether this instance ran `sbatch` for a marker.
    func contains(_ marker: String) -> Bool { markers.withLock { $0.contains(marker) } }
}

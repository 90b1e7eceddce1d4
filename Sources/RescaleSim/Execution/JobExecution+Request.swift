import Foundation
import LocalCloud
import Synchronization

extension JobExecution {
    /// The commands of every analysis, one per line (multi-analysis jobs give the others a no-op such as `:`).
    static func command(of job: SimJob) -> String {
        (job.body["jobanalyses"]?.array ?? []).compactMap { $0["command"]?.string }.joined(separator: "\n")
    }

    /// The analyses' `envVars` (later analyses win) plus `RESCALE_JOB_ID`.
    static func environment(of job: SimJob) -> [String: String] {
        var environment: [String: String] = [:]
        for analysis in job.body["jobanalyses"]?.array ?? [] {
            guard case .object(let variables) = analysis["envVars"] ?? .null else { continue }
            for (name, value) in variables { environment[name] = value.string ?? "" }
        }
        environment["RESCALE_JOB_ID"] = job.id
        return environment
    }

    /// The largest `hardware.walltime` (integer hours, platform.md §2.6), or ``defaultWalltime``.
    ///
    /// Walltime is real time: the time scale shortens queue delays, not the command's allowance.
    static func walltime(of job: SimJob) -> Duration {
        let hours = (job.body["jobanalyses"]?.array ?? []).compactMap { $0["hardware"]?["walltime"]?.int }.max()
        return hours.map { .seconds($0 * 3600) } ?? defaultWalltime
    }
}

/// The stamps of the work directory right after the inputs were placed, so a stopped job's outputs exclude
/// unchanged inputs as a finished job's do.
final class PlacedInputs: Sendable {
    private let storage = Mutex<[String: FileStamp]>([:])

    /// The stamps, by path relative to the work directory.
    var stamps: [String: FileStamp] {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }
}

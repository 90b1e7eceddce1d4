import Foundation
import InterlinkCore
import InterlinkSystem
import RescaleAPI

/// One look at a job's `process_output.log` (`jobs tail` and the web UI's Jobs tab).
package enum JobLogRead: Hashable, Sendable {
    /// The job runs: the last lines of its live log.
    case live([String])
    /// The job has ended: its whole stored log, or nil when it has none.
    case ended([String]?)
    /// The job is not running yet (or its log does not exist yet).
    case waiting
}

/// What asking to stop a job did.
package enum JobStopOutcome: Hashable, Sendable {
    /// The stop was sent (or found already arrived).
    case requested
    /// The job had already ended, in this platform status; nothing was sent.
    case alreadyEnded(status: String)
}

extension RescalePlatform {
    /// The name of the log every run writes.
    package static let jobLogName = "process_output.log"

    /// Stops a job unless its newest status says it has ended (`jobs stop` and the web UI's Jobs tab).
    ///
    /// - Parameter job: The job id.
    /// - Returns: Whether a stop was requested or the job had already ended.
    /// - Throws: `PlatformError` from the calls.
    package func stopUnlessEnded(_ job: String) async throws -> JobStopOutcome {
        let newest = try await api.jobStatuses(job).first
        if let newest, JobStatus(platformStatus: newest.status, reason: newest.statusReason).isTerminal {
            return .alreadyEnded(status: newest.status)
        }
        // The platform's stop: after a lost answer, the statuses tell whether the stop arrived.
        try await stop(JobID(job))
        return .requested
    }

    /// The status that forbids deleting a job (one that has not ended), or nil when it may be deleted (ended, or
    /// never submitted).
    ///
    /// - Parameter job: The job id.
    /// - Returns: The platform status, such as `Executing`, or nil.
    /// - Throws: `PlatformError` from the call.
    package func statusPreventingDeletion(of job: String) async throws -> String? {
        let newest = try await api.jobStatuses(job).first
        guard let newest, !JobStatus(platformStatus: newest.status, reason: newest.statusReason).isTerminal else {
            return nil
        }
        return newest.status
    }

    /// Reads a job's log once: the live tail while it runs, the stored log once it has ended.
    ///
    /// - Parameters:
    ///   - job: The job id.
    ///   - lines: How many lines from the end of a live log.
    /// - Returns: What was found.
    /// - Throws: `PlatformError` from the calls.
    package func readLog(of job: String, lines: Int) async throws -> JobLogRead {
        if let current = try await liveLog(of: job, lines: lines) { return .live(current) }
        guard let newest = try await api.jobStatuses(job).first,
            JobStatus(platformStatus: newest.status, reason: newest.statusReason).isTerminal
        else { return .waiting }
        return .ended(try await storedLog(of: job))
    }

    /// The last lines of the running job's live log (its active run's `process_output.log`).
    ///
    /// - Parameters:
    ///   - job: The job id.
    ///   - lines: How many lines from the end.
    /// - Returns: The lines, or nil when no run is active or the log is not there yet.
    /// - Throws: `PlatformError` from the calls.
    package func liveLog(of job: String, lines: Int) async throws -> [String]? {
        let runs = try await api.jobRuns(job) ?? []
        let active = runs.last { run in
            run["dateStarted"]?.string?.isEmpty == false && (run["dateCompleted"]?.string ?? "").isEmpty
        }
        guard let run = active?["id"].flatMap(Self.idText) else { return nil }
        return try await api.tail(job: job, run: run, file: Self.jobLogName, lines: lines)
    }

    /// The stored `process_output.log` of an ended job, downloaded (verified) into a temporary directory.
    ///
    /// - Parameter job: The job id.
    /// - Returns: Its lines, or nil when the job has no such output.
    /// - Throws: `PlatformError` from the calls.
    package func storedLog(of job: String) async throws -> [String]? {
        let outputs = try await listOutputs(of: JobID(job))
        guard let log = outputs.first(where: { $0.name == Self.jobLogName }) else { return nil }
        let directory = NSTemporaryDirectory() + "rescale-int-tail-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = try await download(log, to: directory + "/" + Self.jobLogName) { _ in }
        let path = file.path
        let data = try await Blocking.run { try Data(contentsOf: URL(fileURLWithPath: path)) }
        var lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init)
        if lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }

    /// The lines of `current` after its overlap with the end of what was shown.
    ///
    /// `current` is the end of a file that may have grown since `shown` was read: the longest suffix of `shown`
    /// that is a prefix of `current` is the overlap.
    ///
    /// - Parameters:
    ///   - shown: The lines shown so far (their tail suffices).
    ///   - current: The newest tail of the log.
    /// - Returns: The lines not shown yet.
    package static func newLogLines(after shown: [String], in current: [String]) -> [String] {
        guard !shown.isEmpty else { return current }
        for overlap in stride(from: min(shown.count, current.count), to: 0, by: -1)
        where Array(shown.suffix(overlap)) == Array(current.prefix(overlap)) {
            return Array(current.dropFirst(overlap))
        }
        return current
    }

    /// An id field as text (a string, or a number).
    private static func idText(_ value: JSONValue) -> String? {
        if let text = value.string { return text }
        return value.int.map(String.init)
    }
}

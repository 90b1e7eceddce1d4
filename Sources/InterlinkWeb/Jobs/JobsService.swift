import Foundation
import InterlinkCore
import InterlinkSystem
import RescaleAPI
import RescalePlatform

/// The work behind the Jobs tab's routes: the account's Rescale jobs a page at a time, a job's details, stop,
/// delete, its live log, and the download of its outputs into the study directory.
package struct JobsService: Sendable {
    /// One row of the jobs table.
    package struct JobRow: Codable, Hashable, Sendable {
        /// The job id.
        package var id: String
        /// Its name.
        package var name: String
        /// Its newest status, or `Not submitted`.
        package var status: String
        /// Why it is in that status, when the platform says.
        package var reason: String?
        /// When it was created.
        package var created: String?
        /// Whether it has ended (the page offers delete, not stop).
        package var ended: Bool

        /// A row from a platform job record.
        init(record: JSONValue) {
            id = record["id"]?.string ?? record["id"]?.int.map(String.init) ?? ""
            name = record["name"]?.string ?? ""
            let status = record["jobStatus"]?["content"]?.string
            self.status = status ?? "Not submitted"
            let reason = record["jobStatus"]?["statusReason"]?.string
            self.reason = reason.flatMap { $0.isEmpty ? nil : $0 }
            created = record["dateInserted"]?.string
            ended = status.map { JobStatus(platformStatus: $0, reason: reason).isTerminal } ?? false
        }
    }

    /// One page of the table.
    package struct JobTable: Codable, Hashable, Sendable {
        /// The rows.
        package var jobs: [JobRow]
        /// The page, from 1.
        package var page: Int
        /// Rows per page.
        package var pageSize: Int
        /// Whether there is a next page.
        package var hasNext: Bool
        /// How many jobs match, when known.
        package var total: Int?
    }

    /// A job's details.
    package struct JobDetails: Codable, Hashable, Sendable {
        /// The row fields.
        package var job: JobRow
        /// The owner's e-mail.
        package var owner: String?
        /// The analysis code and version.
        package var analysis: String?
        /// The core type code.
        package var coreType: String?
        /// Cores per slot.
        package var coresPerSlot: Int?
        /// The command.
        package var command: String?
    }

    /// What downloading a job's outputs did.
    package struct OutputsDownload: Codable, Hashable, Sendable {
        /// The directory written, relative to the study directory.
        package var path: String
        /// Files written.
        package var downloaded: Int
        /// Files already there (same size and SHA-512).
        package var present: Int
        /// Bytes written.
        package var bytes: Int64
    }

    /// The shared services.
    package var services: WebServices
    /// Where the output downloads are shown.
    package var board: TransferBoard

    /// Creates the service.
    ///
    /// - Parameters:
    ///   - services: The shared services.
    ///   - board: Where downloads are shown.
    package init(services: WebServices, board: TransferBoard) {
        self.services = services
        self.board = board
    }

    /// One page of the account's jobs.
    ///
    /// - Parameters:
    ///   - page: The page, from 1.
    ///   - size: Rows per page (1–100).
    ///   - status: Only jobs in this status, or nil.
    ///   - search: Only jobs whose name contains this, or nil.
    /// - Returns: The page.
    /// - Throws: ``WebError`` for a platform or configuration failure.
    package func table(page: Int, size: Int, status: String?, search: String?) async throws -> JobTable {
        try await PlatformCall.run(services.connection) { api, _ in
            let found = try await api.jobPage(number: page, size: size, search: search, status: status)
            return JobTable(
                jobs: found.records.map(JobRow.init(record:)),
                page: max(page, 1),
                pageSize: min(max(size, 1), 100),
                hasNext: found.hasNext,
                total: found.total
            )
        }
    }

    /// A job's details.
    ///
    /// - Parameter id: The job id.
    /// - Returns: Its details.
    /// - Throws: ``WebError``: 404 for a job the platform does not have, 502 when the platform fails.
    package func details(_ id: String) async throws -> JobDetails {
        try await PlatformCall.run(services.connection) { api, _ in
            let record = try await api.jobRecordWithStatus(id)
            let analysis = record["jobanalyses"]?.array?.first
            let code = analysis?["analysis"]?["code"]?.string
            let version = analysis?["analysis"]?["version"]?.string
            return JobDetails(
                job: JobRow(record: record),
                owner: record["owner"]?.string,
                analysis: code.map { code in version.map { "\(code) \($0)" } ?? code },
                coreType: analysis?["hardware"]?["coreType"]?["code"]?.string,
                coresPerSlot: analysis?["hardware"]?["coresPerSlot"]?.int,
                command: analysis?["command"]?.string
            )
        }
    }

    /// Stops a job unless it has ended.
    ///
    /// - Parameter id: The job id.
    /// - Returns: `{"outcome": "requested"}` or `{"outcome": "ended", "status": …}`.
    /// - Throws: ``WebError`` for a platform failure.
    package func stop(_ id: String) async throws -> [String: String] {
        try await PlatformCall.run(services.connection) { _, platform in
            switch try await platform.stopUnlessEnded(id) {
            case .requested: ["outcome": "requested", "job": id]
            case .alreadyEnded(let status): ["outcome": "ended", "job": id, "status": status]
            }
        }
    }

    /// Deletes a job that has ended or was never submitted; a running job is refused with its status.
    ///
    /// - Parameter id: The job id.
    /// - Throws: ``WebError``: 409 for a job that runs (with the reason and what to do), 502 for the platform.
    package func delete(_ id: String) async throws {
        let refusal = try await PlatformCall.run(services.connection) { (api, platform) -> String? in
            if let status = try await platform.statusPreventingDeletion(of: id) { return status }
            try await api.deleteJob(id)
            return nil
        }
        if let refusal {
            throw WebError(.conflict("job '\(id)' is \(refusal) and cannot be deleted while it runs: stop it first"))
        }
    }

    /// Follows a job's `process_output.log`: sends the new lines of each look, every `interval`, until the job
    /// ends (its stored log's remaining lines go last) or `send` throws (the page went away).
    ///
    /// - Parameters:
    ///   - id: The job id.
    ///   - lines: How many lines to show first.
    ///   - interval: The time between looks.
    ///   - send: Sends one message: `lines` with new lines, `waiting`, `end` with the final status, or `error`.
    /// - Throws: `CancellationError`, or what `send` throws.
    package func followLog(
        _ id: String,
        lines: Int,
        interval: Duration,
        send: (_ event: String, _ data: [String]) async throws -> Void
    ) async throws {
        do {
            try await PlatformCall.run(services.connection) { _, platform in
                var shown: [String] = []
                var first = true
                while true {
                    switch try await platform.readLog(of: id, lines: first ? lines : 1000) {
                    case .live(let current):
                        let new = RescalePlatform.newLogLines(after: shown, in: current)
                        if !new.isEmpty { try await send("lines", new) }
                        shown = Array((shown + new).suffix(1000))
                        first = false
                    case .ended(let stored):
                        let all = stored ?? []
                        try await send(
                            "lines",
                            first ? Array(all.suffix(lines)) : RescalePlatform.newLogLines(after: shown, in: all)
                        )
                        try await send(
                            "end",
                            [
                                stored == nil
                                    ? "the job has ended and has no \(RescalePlatform.jobLogName)" : "the job has ended"
                            ]
                        )
                        return
                    case .waiting:
                        try await send("waiting", ["the job is not running yet"])
                    }
                    try await Task.sleep(for: interval)
                }
            }
        } catch let error as WebError {
            try await send("error", [error.description])
        }
    }

    /// Downloads every output of a job into a directory under the study directory, each at its relative path;
    /// outputs already there (same size and SHA-512) are kept, each download goes to the board.
    ///
    /// - Parameters:
    ///   - id: The job id.
    ///   - path: The directory, relative to the study directory.
    /// - Returns: What was written.
    /// - Throws: ``StudyPathError`` when an output would land outside; ``WebError`` for the platform.
    package func downloadOutputs(_ id: String, into path: String) async throws -> OutputsDownload {
        let directory = services.directory
        let root = try StudyPath(path, in: directory)
        let board = self.board
        let outputs = try await PlatformCall.run(services.connection) { _, platform in
            try await platform.listOutputs(of: JobID(id))
        }
        // Every placement is checked before the first byte.
        let placements = try outputs.map { output throws(StudyPathError) in
            let relative = output.relativePath.isEmpty ? output.name : output.relativePath
            let joined = root.relative.isEmpty ? relative : root.relative + "/" + relative
            return (output, try StudyPath(joined, in: directory))
        }
        return try await PlatformCall.run(services.connection) { _, platform in
            var summary = OutputsDownload(path: root.relative, downloaded: 0, present: 0, bytes: 0)
            for (output, target) in placements {
                if try await platform.verifyDownload(output, at: target.absolute) != nil {
                    summary.present += 1
                    continue
                }
                let written = try await board.run(
                    "download",
                    name: output.name,
                    target: root.relative,
                    total: output.bytes
                ) { progress in
                    try await platform.download(output, to: target.absolute) { report in
                        progress(report.bytes, report.totalBytes)
                    }
                }
                summary.downloaded += 1
                summary.bytes += written.bytes
            }
            return summary
        }
    }
}

import ArgumentParser
import Foundation
import InterlinkCore

/// `rescale-int jobs watch --id ID…`: follows jobs to their end, optionally downloading each one's outputs.
package struct JobsWatchCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Follow jobs' statuses to the end; with --download, fetch each job's outputs when it ends.",
        discussion: """
            Prints a line for each status change. With --download each job's outputs go to \
            DIR/<job name>-<id>/ (files already there are kept). Ends 0 when every job completed successfully, \
            1 when one failed or was stopped.

            \(ExitStatus.helpText([.success, .jobFailed, .usage, .unavailable, .ioError, .configuration]))
            """
    )

    @OptionGroup package var connection: ConnectionOptions

    /// The jobs.
    @Option(parsing: .upToNextOption, help: "The ids of the jobs to follow.")
    package var id: [String]

    /// Downloads outputs at the end.
    @Flag(help: "Download each job's outputs when it ends.")
    package var download = false

    /// Where outputs go.
    @Option(
        name: [.customShort("d"), .customLong("outdir")],
        help: "The directory for --download (default: the current one)."
    )
    package var outdir: String?

    /// The time between checks.
    @Option(help: "The time between status checks: seconds, or 30s, 5m.")
    package var interval = "10s"

    /// Creates the command.
    package init() {}

    package func validate() throws {
        guard !id.isEmpty else { throw ValidationError("give at least one job with --id.") }
        guard try DurationArgument.seconds(interval) > 0 else { throw ValidationError("--interval must be positive.") }
    }

    package func run() async throws {
        let pause = Duration.milliseconds(Int64(try DurationArgument.seconds(interval) * 1000))
        let directory = PathName.resolve(outdir ?? ".", against: FileManager.default.currentDirectoryPath)
        let (ids, fetch) = (id, download)
        let failed = try await RescaleConnection.with(connection) { connection in
            var pending = ids
            var shown: [String: String] = [:]
            var failed: [String] = []
            while true {
                for job in pending {
                    let newest = try await connection.api.jobStatuses(job).first
                    let text =
                        newest.map {
                            $0.status + (($0.statusReason ?? "").isEmpty ? "" : " (\($0.statusReason ?? ""))")
                        }
                        ?? "Not submitted"
                    if shown[job] != text {
                        RecordOutput.write("\(job): \(TerminalText.escaped(text))\n")
                        shown[job] = text
                    }
                    guard let newest, JobSummary.isTerminal(newest.status, reason: newest.statusReason) else {
                        continue
                    }
                    pending.removeAll { $0 == job }
                    let status = try await connection.platform.status(of: JobID(job))
                    if !status.isSuccess { failed.append(job) }
                    guard fetch else { continue }
                    let name = JobSummary(record: try await connection.api.jobRecord(job)).name
                    let target = PathName.join(directory, DaemonWatcher.folderName(name: name, id: job))
                    let outputs = try await connection.platform.listOutputs(of: JobID(job))
                    let placements = try OutputDownloader.placements(of: outputs, in: target)
                    try await OutputDownloader.checkFreeSpace(for: placements, in: directory)
                    let summary = try await OutputDownloader(platform: connection.platform, display: TransferDisplay())
                        .download(placements)
                    RecordOutput.note(
                        "job '\(job)': \(summary.downloaded) file(s) downloaded into '\(target)', "
                            + "\(summary.present) already present"
                    )
                }
                if pending.isEmpty { return failed }
                try await Task.sleep(for: pause)
            }
        }
        if !failed.isEmpty {
            throw CommandFailure(
                [.error("job(s) \(failed.map { "'\($0)'" }.joined(separator: ", ")) did not complete successfully")],
                status: .jobFailed
            )
        }
    }
}

import ArgumentParser
import InterlinkCore

/// `rescale-int jobs list` (and its shortcut `ls`): the newest jobs first.
package struct JobsListCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List your jobs, newest first.",
        discussion: ExitStatus.helpText([.success, .usage, .unavailable, .configuration])
    )

    @OptionGroup package var connection: ConnectionOptions

    /// The most jobs shown.
    @Option(name: [.customShort("n"), .customLong("limit")], help: "The most jobs to show.")
    package var limit = 50

    /// Only jobs in this status.
    @Option(
        name: [.customShort("s"), .customLong("status")],
        help: "Only jobs in this status (Executing, Completed …)."
    )
    package var status: String?

    /// Prints records as JSON.
    @Flag(help: "Print the platform's job records as one JSON array.")
    package var json = false

    /// Creates the command.
    package init() {}

    package func validate() throws {
        guard limit > 0 else { throw ValidationError("--limit must be at least 1.") }
    }

    package func run() async throws {
        let wanted = status?.lowercased()
        let records = try await RescaleConnection.with(connection) { connection in
            try await connection.api.jobRecords(limit: limit) { record in
                guard let wanted else { return true }
                return record["jobStatus"]?["content"]?.string?.lowercased() == wanted
            }
        }
        if json {
            RecordOutput.write(RecordOutput.json(.array(records)))
            return
        }
        let rows = records.map(JobSummary.init(record:)).map { job in
            [job.id, job.name, job.status ?? "Not submitted", job.created ?? "-"]
        }
        RecordOutput.write(TextTable(header: ["ID", "NAME", "STATUS", "CREATED"], rows: rows).rendered)
    }
}

/// `rescale-int ls`: the shortcut for `jobs list`, as in Interlink.
package struct LsCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "ls",
        abstract: "List your jobs, newest first (the same as 'jobs list').",
        discussion: ExitStatus.helpText([.success, .usage, .unavailable, .configuration])
    )

    @OptionGroup package var list: JobsListCommand

    /// Creates the command.
    package init() {}

    package func run() async throws { try await list.run() }
}

import ArgumentParser
import InterlinkCore
import RescaleAPI

/// `rescale-int jobs get --id ID`: one job with its current status.
package struct JobsGetCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Show one job: name, status, analysis and hardware.",
        discussion: ExitStatus.helpText([.success, .usage, .unavailable, .configuration])
    )

    @OptionGroup package var connection: ConnectionOptions

    /// The job.
    @Option(help: "The job id.")
    package var id: String

    /// Prints the record as JSON.
    @Flag(help: "Print the platform's job record, with 'jobStatus' from its newest status, as one JSON object.")
    package var json = false

    /// Creates the command.
    package init() {}

    package func run() async throws {
        let id = self.id
        let record = try await RescaleConnection.with(connection) { connection in
            try await connection.api.jobRecordWithStatus(id)
        }
        if json {
            RecordOutput.write(RecordOutput.json(record))
            return
        }
        let job = JobSummary(record: record)
        let analysis = record["jobanalyses"]?.array?.first
        var lines = [
            ("id", job.id), ("name", job.name), ("status", job.status ?? "Not submitted"),
            ("created", job.created ?? "-"), ("owner", RecordOutput.text(record["owner"])),
            ("analysis", RecordOutput.text(analysis?["analysis"]?["code"])),
            ("core type", RecordOutput.text(analysis?["hardware"]?["coreType"]?["code"])),
            ("cores/slot", RecordOutput.text(analysis?["hardware"]?["coresPerSlot"])),
        ]
        if let reason = job.reason, !reason.isEmpty { lines.insert(("reason", reason), at: 3) }
        let width = lines.map(\.0.count).max() ?? 0
        RecordOutput.write(
            lines.map {
                "\($0.0.padding(toLength: width, withPad: " ", startingAt: 0))  \(TerminalText.escaped($0.1))\n"
            }
            .joined()
        )
    }
}

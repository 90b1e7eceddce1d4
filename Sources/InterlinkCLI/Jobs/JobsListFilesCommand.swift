import ArgumentParser
import InterlinkCore

/// `rescale-int jobs listfiles --id ID`: a job's output files.
package struct JobsListFilesCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "listfiles",
        abstract: "List a job's output files.",
        discussion: ExitStatus.helpText([.success, .usage, .unavailable, .configuration])
    )

    @OptionGroup package var connection: ConnectionOptions

    /// The job.
    @Option(help: "The job id.")
    package var id: String

    /// Prints records as JSON.
    @Flag(help: "Print the platform's file records as one JSON array.")
    package var json = false

    /// Creates the command.
    package init() {}

    package func run() async throws {
        let records = try await RescaleConnection.with(connection) { try await $0.api.jobOutputRecords(id) }
        if json {
            RecordOutput.write(RecordOutput.json(.array(records)))
            return
        }
        let rows = records.map { record in
            let relative = record["relativePath"]?.string ?? ""
            let size = record["decryptedSize"]?.int ?? record["decryptedSize"]?.string.flatMap { Int($0) }
            return [
                RecordOutput.text(record["id"]), relative.isEmpty ? RecordOutput.text(record["name"]) : relative,
                size.map { RecordOutput.bytes(Int64($0)) } ?? "-",
            ]
        }
        RecordOutput.write(TextTable(header: ["ID", "PATH", "SIZE"], rows: rows).rendered)
    }
}

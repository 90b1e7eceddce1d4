import ArgumentParser
import InterlinkCore
import RescaleAPI

/// `rescale-int jobs stop --id ID`: asks the platform to stop a job (it uploads the outputs that exist).
package struct JobsStopCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "stop",
        abstract: "Stop a running job; the outputs it has written are still uploaded.",
        discussion: ExitStatus.helpText([.success, .usage, .unavailable, .configuration])
    )

    @OptionGroup package var connection: ConnectionOptions

    /// The job.
    @Option(help: "The job id.")
    package var id: String

    /// Creates the command.
    package init() {}

    package func run() async throws {
        let outcome = try await RescaleConnection.with(connection) { connection in
            if case .alreadyEnded(let status) = try await connection.platform.stopUnlessEnded(id) {
                return "job '\(id)' has already ended (\(status))"
            }
            return "stop requested for job '\(id)'; 'rescale-int jobs watch --id \(id)' follows it to the end"
        }
        RecordOutput.write(outcome + "\n")
    }
}

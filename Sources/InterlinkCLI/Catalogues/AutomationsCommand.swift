import ArgumentParser
import InterlinkCore

/// `rescale-int automations`: the automations a job can run before or after its command.
package struct AutomationsCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "automations",
        abstract: "List the automations jobs can attach.",
        subcommands: [AutomationsListCommand.self],
        defaultSubcommand: AutomationsListCommand.self
    )

    /// Creates the command group.
    package init() {}
}

/// `rescale-int automations list`: id, name, when it runs, its script.
package struct AutomationsListCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List automations: id, name, when they run (pre or post) and their script.",
        discussion: ExitStatus.helpText([.success, .usage, .unavailable, .configuration])
    )

    @OptionGroup package var connection: ConnectionOptions

    /// Prints records as JSON.
    @Flag(help: "Print the platform's automation records as one JSON array.")
    package var json = false

    /// Creates the command.
    package init() {}

    package func run() async throws {
        let records = try await RescaleConnection.with(connection) { try await $0.api.automationRecords() }
        if json {
            RecordOutput.write(RecordOutput.json(.array(records)))
            return
        }
        let rows = records.map { record in
            [
                RecordOutput.text(record["id"]), RecordOutput.text(record["name"]),
                RecordOutput.text(record["executeOn"]), RecordOutput.text(record["scriptName"]),
            ]
        }
        RecordOutput.write(TextTable(header: ["ID", "NAME", "RUNS", "SCRIPT"], rows: rows).rendered)
    }
}

import ArgumentParser
import InterlinkCore

/// `rescale-int hardware`: the platform's core types.
package struct HardwareCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "hardware",
        abstract: "List the platform's core types.",
        subcommands: [HardwareListCommand.self],
        defaultSubcommand: HardwareListCommand.self
    )

    /// Creates the command group.
    package init() {}
}

/// `rescale-int hardware list [--search TEXT] [--all]`: core types with their valid core counts.
package struct HardwareListCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List core types: code, name, valid cores per slot, whether active.",
        discussion: ExitStatus.helpText([.success, .usage, .unavailable, .configuration])
    )

    @OptionGroup package var connection: ConnectionOptions

    /// A filter on code and name.
    @Option(help: "Only core types whose code or name contains this text (any case).")
    package var search: String?

    /// Includes inactive core types.
    @Flag(help: "Include inactive core types.")
    package var all = false

    /// Prints records as JSON.
    @Flag(help: "Print the platform's core type records as one JSON array.")
    package var json = false

    /// Creates the command.
    package init() {}

    package func run() async throws {
        let includeInactive = all
        let records = try await RescaleConnection.with(connection) {
            try await $0.api.coreTypeRecords(includeInactive: includeInactive)
        }
        .filter { Catalogue.matches($0, search, fields: ["code", "name"]) }
        if json {
            RecordOutput.write(RecordOutput.json(.array(records)))
            return
        }
        let rows = records.map { record in
            [
                RecordOutput.text(record["code"]), RecordOutput.text(record["name"]),
                (record["cores"]?.array ?? []).map { RecordOutput.text($0) }.joined(separator: ","),
                RecordOutput.text(record["isActive"]),
            ]
        }
        RecordOutput.write(TextTable(header: ["CODE", "NAME", "CORES", "ACTIVE"], rows: rows).rendered)
    }
}

/// Catalogue filters.
package enum Catalogue {
    /// Whether any of a record's string fields contains the text, ignoring case; every record matches no text.
    package static func matches(_ record: JSONValue, _ text: String?, fields: [String]) -> Bool {
        guard let text, !text.isEmpty else { return true }
        return fields.contains { record[$0]?.string?.localizedCaseInsensitiveContains(text) == true }
    }
}

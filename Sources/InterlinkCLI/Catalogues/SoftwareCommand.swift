import ArgumentParser
import InterlinkCore

/// `rescale-int software`: the platform's analyses.
package struct SoftwareCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "software",
        abstract: "List the platform's analyses (software) and their versions.",
        subcommands: [SoftwareListCommand.self],
        defaultSubcommand: SoftwareListCommand.self
    )

    /// Creates the command group.
    package init() {}
}

/// `rescale-int software list [--search TEXT] [--versions]`: analyses, with one row per version on request.
package struct SoftwareListCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List analyses: code and name, with --versions each version and its version code.",
        discussion: """
            A job file names an analysis by its code and a version by its version code (or its display version, \
            which is resolved to the code).

            \(ExitStatus.helpText([.success, .usage, .unavailable, .configuration]))
            """
    )

    @OptionGroup package var connection: ConnectionOptions

    /// A filter on code and name.
    @Option(help: "Only analyses whose code or name contains this text (any case).")
    package var search: String?

    /// One row per version.
    @Flag(help: "Show one row per version, with its version code.")
    package var versions = false

    /// Prints records as JSON.
    @Flag(help: "Print the platform's analysis records (with their versions) as one JSON array.")
    package var json = false

    /// Creates the command.
    package init() {}

    package func run() async throws {
        let records = try await RescaleConnection.with(connection) { try await $0.api.analysisRecords() }
            .filter { Catalogue.matches($0, search, fields: ["code", "name"]) }
        if json {
            RecordOutput.write(RecordOutput.json(.array(records)))
            return
        }
        if versions {
            let rows = records.flatMap { record in
                (record["versions"]?.array ?? []).map { version in
                    [
                        RecordOutput.text(record["code"]), RecordOutput.text(record["name"]),
                        RecordOutput.text(version["version"]), RecordOutput.text(version["versionCode"]),
                    ]
                }
            }
            RecordOutput.write(TextTable(header: ["CODE", "NAME", "VERSION", "VERSION CODE"], rows: rows).rendered)
            return
        }
        let rows = records.map { record in
            [
                RecordOutput.text(record["code"]), RecordOutput.text(record["name"]),
                (record["versions"]?.array ?? []).map { RecordOutput.text($0["version"]) }.joined(separator: ", "),
            ]
        }
        RecordOutput.write(TextTable(header: ["CODE", "NAME", "VERSIONS"], rows: rows).rendered)
    }
}

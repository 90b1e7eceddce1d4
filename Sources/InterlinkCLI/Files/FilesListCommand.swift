import ArgumentParser
import InterlinkCore

/// `rescale-int files list`: the newest files.
package struct FilesListCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the newest files (first page only).",
        discussion: ExitStatus.helpText([.success, .usage, .unavailable, .configuration])
    )

    /// The most files.
    @Option(name: [.customShort("n"), .customLong("limit")], help: "The most files to list (default: 20).")
    package var limit = 20

    /// A name filter.
    @Option(help: "Only files whose name contains this text.")
    package var search: String?

    /// JSON output.
    @Flag(help: "Print the platform's file records as one JSON array.")
    package var json = false

    /// The profile and host flags.
    @OptionGroup package var connection: ConnectionOptions

    /// Creates the command.
    package init() {}

    package func validate() throws {
        guard (1...1000).contains(limit) else { throw ValidationError("--limit must be from 1 to 1000, not \(limit).") }
    }

    package func run() async throws {
        let records = try await RescaleConnection.with(connection) { connection in
            try await connection.api.listFiles(limit: limit, search: search)
        }
        print(json ? JSONOutput.render(records: .array(records)) : FileTable.render(records), terminator: "")
    }
}

/// `rescale-int files delete`: permanent deletes.
package struct FilesDeleteCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete files permanently.",
        discussion: ExitStatus.helpText([.success, .usage, .unavailable, .configuration])
    )

    /// The file ids.
    @Argument(help: "The ids of the files to delete.")
    package var fileIDs: [String] = []

    /// The profile and host flags.
    @OptionGroup package var connection: ConnectionOptions

    /// Creates the command.
    package init() {}

    package func validate() throws {
        guard !fileIDs.isEmpty else { throw ValidationError("Give at least one file id to delete.") }
    }

    package func run() async throws {
        try await RescaleConnection.with(connection) { connection in
            for id in fileIDs {
                try await connection.api.deleteFile(id)
                print("deleted file \(id)")
            }
        }
    }
}

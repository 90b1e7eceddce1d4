import ArgumentParser
import InterlinkCore

/// `rescale-int folders list`: what a folder holds.
package struct FoldersListCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List a folder's subfolders and files (default: myLibrary).",
        discussion: ExitStatus.helpText([.success, .usage, .unavailable, .configuration])
    )

    /// The folder.
    @Option(name: .customLong("folder-id"), help: "The folder to list (default: myLibrary).")
    package var folderID: String?

    /// JSON output.
    @Flag(help: "Print the platform's {type, item} entries as one JSON array.")
    package var json = false

    /// The profile and host flags.
    @OptionGroup package var connection: ConnectionOptions

    /// Creates the command.
    package init() {}

    package func run() async throws {
        let entries = try await RescaleConnection.with(connection) { connection in
            let folder: String
            if let folderID { folder = folderID } else { folder = try await connection.platform.libraryFolderID() }
            return try await connection.folders.contents(of: folder).map(\.record)
        }
        if json {
            print(JSONOutput.render(records: .array(entries)), terminator: "")
            return
        }
        let rows = entries.map { entry in
            let item = entry["item"]
            return [
                entry["type"]?.string ?? "",
                item?["id"]?.string ?? "",
                item?["name"]?.string ?? "",
                FileTable.size(item?["decryptedSize"]),
                item?["dateUploaded"]?.string ?? item?["dateInserted"]?.string ?? item?["dateCreated"]?.string ?? "",
            ]
        }
        print(TextTable(header: ["TYPE", "ID", "NAME", "SIZE", "DATE"], rows: rows).rendered, terminator: "")
    }
}

/// `rescale-int folders delete`: permanent deletes of folders and everything in them.
package struct FoldersDeleteCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete folders permanently, with everything in them.",
        discussion: ExitStatus.helpText([.success, .usage, .unavailable, .configuration])
    )

    /// The folder ids.
    @Argument(help: "The ids of the folders to delete.")
    package var folderIDs: [String] = []

    /// The profile and host flags.
    @OptionGroup package var connection: ConnectionOptions

    /// Creates the command.
    package init() {}

    package func validate() throws {
        guard !folderIDs.isEmpty else { throw ValidationError("Give at least one folder id to delete.") }
    }

    package func run() async throws {
        try await RescaleConnection.with(connection) { connection in
            for id in folderIDs {
                try await connection.api.deleteFolder(id)
                await connection.folders.invalidateAll()
                print("deleted folder \(id)")
            }
        }
    }
}

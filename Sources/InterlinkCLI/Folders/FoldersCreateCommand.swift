import ArgumentParser
import InterlinkCore
import RescaleAPI

/// `rescale-int folders create`.
package struct FoldersCreateCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a folder (in myLibrary unless --parent-id names another).",
        discussion: ExitStatus.helpText([.success, .usage, .unavailable, .configuration])
    )

    /// The new folder's name.
    @Argument(help: "The folder's name (no '/').")
    package var name: String

    /// The parent.
    @Option(name: .customLong("parent-id"), help: "The parent folder (default: myLibrary).")
    package var parentID: String?

    /// JSON output.
    @Flag(help: "Print {id, name, parentFolderId} as one JSON document.")
    package var json = false

    /// The profile and host flags.
    @OptionGroup package var connection: ConnectionOptions

    /// Creates the command.
    package init() {}

    package func validate() throws {
        guard !name.isEmpty, !name.contains("/") else {
            throw ValidationError("A folder name is not empty and has no '/'.")
        }
    }

    package func run() async throws {
        let created = try await RescaleConnection.with(connection) { connection in
            let parent: String
            if let parentID { parent = parentID } else { parent = try await connection.platform.libraryFolderID() }
            let id = try await FolderTree(connection: connection).create(name, in: parent, adoptExisting: false)
            return CreatedFolder(id: id, name: name, parentFolderId: parent)
        }
        print(
            try json ? JSONOutput.render(created) : "created folder '\(created.name)': \(created.id)\n",
            terminator: ""
        )
    }
}

/// What `folders create --json` prints.
package struct CreatedFolder: Encodable, Sendable {
    /// The new folder's id.
    package var id: String
    /// Its name.
    package var name: String
    /// Its parent's id.
    package var parentFolderId: String
}

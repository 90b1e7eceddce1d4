import ArgumentParser
import InterlinkCore

/// `rescale-int files`: upload, download, list and delete files on Rescale.
package struct FilesCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "files",
        abstract: "Upload, download, list and delete files on Rescale.",
        discussion: """
            Uploads are encrypted on this machine (v2 streaming format) and registered in a folder (default: \
            myLibrary); downloads decrypt v0, v1 and v2 files and check their SHA-512. Running an interrupted \
            transfer again continues it. `rescale-int upload` and `rescale-int download` are shortcuts.

            Examples:
              rescale-int files upload model.inp mesh.dat --description "case 12"
              rescale-int files list -n 50 --search mesh --json
              rescale-int files download AbC123 -d results/
              rescale-int files delete AbC123 XyZ789
            """,
        subcommands: [
            FilesUploadCommand.self, FilesDownloadCommand.self, FilesListCommand.self, FilesDeleteCommand.self,
        ]
    )

    /// Creates the command group.
    package init() {}
}

/// The flags of `files upload` and of the `upload` shortcut.
package struct FilesUploadOptions: ParsableArguments {
    /// The local files.
    @Argument(help: "The files to upload.")
    package var files: [String] = []

    /// The target folder.
    @Option(name: .customLong("folder-id"), help: "The folder to put the files in (default: myLibrary).")
    package var folderID: String?

    /// The description.
    @Option(name: .customLong("description"), help: "A description stored with each file.")
    package var fileDescription: String?

    /// JSON output.
    @Flag(help: "Print the new files' platform records as one JSON array.")
    package var json = false

    /// The profile and host flags.
    @OptionGroup package var connection: ConnectionOptions

    /// Creates options.
    package init() {}

    package func validate() throws {
        guard !files.isEmpty else { throw ValidationError("Give at least one file to upload.") }
    }

    /// Uploads the files one after another and prints their records.
    func execute() async throws {
        let output = try await RescaleConnection.with(connection) { connection in
            let transfers = FileTransfers(connection: connection)
            await transfers.pruneCheckpoints()
            var records: [JSONValue] = []
            for file in files {
                let id = try await transfers.upload(file, to: folderID, description: fileDescription)
                records.append(try await connection.api.fileJSON(id.rawValue))
            }
            return records
        }
        print(json ? JSONOutput.render(records: .array(output)) : FileTable.render(output), terminator: "")
    }
}

/// `rescale-int files upload`.
package struct FilesUploadCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "upload",
        abstract: "Upload files (encrypted) and register them in a folder.",
        discussion: ExitStatus.helpText([.success, .usage, .unavailable, .ioError, .configuration])
    )

    @OptionGroup package var options: FilesUploadOptions

    /// Creates the command.
    package init() {}

    package func run() async throws { try await options.execute() }
}

/// `rescale-int upload`: the shortcut for `files upload`.
package struct UploadShortcutCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "upload",
        abstract: "Upload files (the same as `files upload`).",
        discussion: ExitStatus.helpText([.success, .usage, .unavailable, .ioError, .configuration])
    )

    @OptionGroup package var options: FilesUploadOptions

    /// Creates the command.
    package init() {}

    package func run() async throws { try await options.execute() }
}

/// The text table of file records: id, name, size and upload date.
package enum FileTable {
    /// Renders records as a table.
    package static func render(_ records: [JSONValue]) -> String {
        TextTable(
            header: ["ID", "NAME", "SIZE", "UPLOADED"],
            rows: records.map { record in
                [
                    record["id"]?.string ?? "",
                    record["name"]?.string ?? "",
                    size(record["decryptedSize"]),
                    record["dateUploaded"]?.string ?? "",
                ]
            }
        ).rendered
    }

    /// A size field (number or numeric string) for people.
    static func size(_ value: JSONValue?) -> String {
        if let number = value?.number { return TransferProgressLine.size(Int64(number)) }
        if let text = value?.string, let number = Int64(text) { return TransferProgressLine.size(number) }
        return ""
    }
}

import ArgumentParser
import InterlinkCore

/// `rescale-int folders`: make, list, fill, fetch and delete folders on Rescale.
package struct FoldersCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "folders",
        abstract: "Create, list, upload to, download and delete folders on Rescale.",
        discussion: """
            Folder ids come from `folders list` (default: the contents of myLibrary) and `folders create`. Folder \
            listings are reused for 5 minutes within one command, and dropped when the command creates or \
            deletes a folder.

            Examples:
              rescale-int folders create cases --json
              rescale-int folders upload-dir --folder-id AbC123 --dir ./cases -r
              rescale-int folders download-dir --folder-id AbC123 --outdir ./back
              rescale-int folders delete AbC123
            """,
        subcommands: [
            FoldersCreateCommand.self, FoldersListCommand.self, FoldersUploadCommand.self, FoldersUploadDirCommand.self,
            FoldersDownloadDirCommand.self, FoldersDeleteCommand.self,
        ]
    )

    /// Creates the command group.
    package init() {}
}

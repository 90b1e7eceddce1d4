import ArgumentParser
import Foundation
import InterlinkCore
import RescaleAPI

/// `rescale-int folders upload`: files into a folder.
package struct FoldersUploadCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "upload",
        abstract: "Upload files into a folder.",
        discussion: ExitStatus.helpText([.success, .usage, .unavailable, .ioError, .configuration])
    )

    /// The local files.
    @Argument(help: "The files to upload.")
    package var files: [String] = []

    /// The folder.
    @Option(name: .customLong("folder-id"), help: "The folder to put the files in.")
    package var folderID: String

    /// JSON output.
    @Flag(help: "Print the new files' platform records as one JSON array.")
    package var json = false

    /// The profile and host flags.
    @OptionGroup package var connection: ConnectionOptions

    /// Creates the command.
    package init() {}

    package func validate() throws {
        guard !files.isEmpty else { throw ValidationError("Give at least one file to upload.") }
    }

    package func run() async throws {
        let records = try await RescaleConnection.with(connection) { connection in
            let transfers = FileTransfers(connection: connection)
            await transfers.pruneCheckpoints()
            var records: [JSONValue] = []
            for file in files {
                let id = try await transfers.upload(file, to: folderID, description: nil)
                records.append(try await connection.api.fileJSON(id.rawValue))
            }
            return records
        }
        print(json ? JSONOutput.render(records: .array(records)) : FileTable.render(records), terminator: "")
    }
}

/// `rescale-int folders upload-dir`: a local directory into a folder, subfolders made to match.
package struct FoldersUploadDirCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "upload-dir",
        abstract: "Upload a directory's files into a folder (with -r, its subdirectories as subfolders).",
        discussion: """
            Files already in the folder with the same name, size and SHA-512 are skipped, so running the command \
            again after an interruption continues it.

            \(ExitStatus.helpText([.success, .usage, .unavailable, .ioError, .configuration]))
            """
    )

    /// The folder.
    @Option(name: .customLong("folder-id"), help: "The folder to upload into.")
    package var folderID: String

    /// The local directory.
    @Option(help: "The local directory.")
    package var dir: String

    /// Recurse.
    @Flag(name: [.customShort("r"), .customLong("recursive")], help: "Include subdirectories, as subfolders.")
    package var recursive = false

    /// JSON output.
    @Flag(help: "Print the files' platform records as one JSON array.")
    package var json = false

    /// The profile and host flags.
    @OptionGroup package var connection: ConnectionOptions

    /// Creates the command.
    package init() {}

    package func run() async throws {
        let root = PathName.resolve(dir, against: FileManager.default.currentDirectoryPath)
        let local = try LocalTree.scan(root, recursive: recursive, shownAs: dir)
        let records = try await RescaleConnection.with(connection) { connection in
            let tree = FolderTree(connection: connection)
            let transfers = FileTransfers(connection: connection)
            await transfers.pruneCheckpoints()
            for directory in local.directories { _ = try await tree.ensure(directory, under: folderID) }
            var records: [JSONValue] = []
            for file in local.files {
                let directory = PathName.dirname(file) == "." ? "" : PathName.dirname(file)
                let folder = try await tree.ensure(directory, under: folderID)
                let absolute = PathName.join(root, file)
                let name = PathName.basename(file)
                if let entry = try await connection.folders.contents(of: folder).first(where: {
                    $0.type == "file" && $0.name == name
                }), let record = FolderTree.fileRecord(entry),
                    try await connection.platform.holdsFile(record, at: absolute)
                {
                    TransferProgressLine(verb: "upload", name: file, total: nil).finish("already uploaded")
                    records.append(entry.record["item"] ?? .null)
                    continue
                }
                let id = try await transfers.upload(absolute, to: folder, description: nil)
                records.append(try await connection.api.fileJSON(id.rawValue))
            }
            return records
        }
        print(json ? JSONOutput.render(records: .array(records)) : FileTable.render(records), terminator: "")
    }
}

/// A local directory's regular files and subdirectories, as paths relative to it.
package enum LocalTree {
    /// Lists a directory: files in name order, directories parents first; symbolic links and special files are
    /// left out.
    ///
    /// - Parameters:
    ///   - root: The absolute directory.
    ///   - recursive: Whether to go into subdirectories.
    ///   - shownAs: The directory as the user wrote it, for errors.
    /// - Returns: Relative file paths and relative directory paths.
    /// - Throws: ``CommandFailure`` (74) when the directory cannot be read.
    package static func scan(_ root: String, recursive: Bool, shownAs: String) throws(CommandFailure) -> (
        files: [String], directories: [String]
    ) {
        var files: [String] = []
        var directories: [String] = []
        var queue = [""]
        while !queue.isEmpty {
            let relative = queue.removeFirst()
            let absolute = relative.isEmpty ? root : PathName.join(root, relative)
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: absolute).sorted()
            } catch {
                throw CommandFailure(
                    [.error("cannot read the directory '\(shownAs)'", help: "give --dir an existing directory")],
                    status: .ioError
                )
            }
            for name in names {
                let child = relative.isEmpty ? name : relative + "/" + name
                let type =
                    (try? FileManager.default.attributesOfItem(atPath: PathName.join(root, child)))?[.type]
                    as? FileAttributeType
                if type == .typeRegular {
                    files.append(child)
                } else if type == .typeDirectory, recursive {
                    directories.append(child)
                    queue.append(child)
                }
            }
        }
        return (files, directories)
    }
}

/// `rescale-int folders download-dir`: a folder's files and subfolders into a local directory.
package struct FoldersDownloadDirCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "download-dir",
        abstract: "Download a folder with its subfolders into a local directory.",
        discussion: """
            Files already in place (same size and SHA-512) are skipped, so running the command again after an \
            interruption continues it.

            \(ExitStatus.helpText([.success, .usage, .unavailable, .ioError, .configuration]))
            """
    )

    /// The folder.
    @Option(name: .customLong("folder-id"), help: "The folder to download.")
    package var folderID: String

    /// The local directory.
    @Option(help: "The directory to write into (made when missing).")
    package var outdir: String

    /// JSON output.
    @Flag(help: "Print what was written as one JSON array: id, name, path, decryptedSize, sha512.")
    package var json = false

    /// The profile and host flags.
    @OptionGroup package var connection: ConnectionOptions

    /// Creates the command.
    package init() {}

    package func run() async throws {
        let root = PathName.resolve(outdir, against: FileManager.default.currentDirectoryPath)
        let written = try await RescaleConnection.with(connection) { connection in
            let (files, folders) = try await FolderTree(connection: connection).walk(folderID)
            for folder in [""] + folders {
                do {
                    try FileManager.default.createDirectory(
                        atPath: folder.isEmpty ? root : PathName.join(root, folder),
                        withIntermediateDirectories: true
                    )
                } catch {
                    throw CommandFailure([.error("cannot create '\(PathName.join(outdir, folder))'")], status: .ioError)
                }
            }
            let local = files.map { (record: $0.record, path: PathName.join(root, $0.path)) }
            let results = try await FileTransfers(connection: connection).download(local)
            return zip(local, results).map { DownloadReport(record: $0.0.record, file: $0.1) }
        }
        if json {
            print(try JSONOutput.render(written), terminator: "")
        } else {
            let rows = written.map { [$0.id, $0.path, TransferProgressLine.size($0.decryptedSize)] }
            print(TextTable(header: ["ID", "PATH", "SIZE"], rows: rows).rendered, terminator: "")
        }
    }
}

import Foundation
import InterlinkCore
import InterlinkSystem
import RescaleAPI
import RescalePlatform

/// The uploads and downloads of the `files` and `folders` commands, one file after another, each through the
/// platform's one upload path (v2 streaming encryption, multipart) and download path (v0/v1/v2, SHA-512 checked).
package struct FileTransfers: Sendable {
    /// The connection.
    package var connection: RescaleConnection
    /// Where interrupted uploads keep their place.
    package var checkpoints: UploadCheckpointStore
    /// Whether stderr shows bars (a terminal) or one line per file.
    package var isTerminal: Bool?

    /// Creates the transfers of a command.
    package init(connection: RescaleConnection, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.connection = connection
        self.checkpoints = UploadCheckpointStore(environment: environment)
    }

    /// Removes the upload checkpoints no upload can use any more (their file changed or went away, or a month
    /// passed) and aborts their multipart uploads; called once by each uploading command before its first upload.
    package func pruneCheckpoints() async {
        await connection.platform.pruneUploadCheckpoints(checkpoints)
    }

    /// Uploads one local file and registers it in a folder, continuing an interrupted upload of the same file.
    ///
    /// - Parameters:
    ///   - path: The local file (relative to the current directory, or absolute).
    ///   - folder: The folder id, or nil for `myLibrary`.
    ///   - description: The file's description, or nil.
    /// - Returns: The new file's id.
    /// - Throws: ``CommandFailure`` (74) for a file that cannot be read; `PlatformError` from the platform.
    package func upload(_ path: String, to folder: String?, description: String?) async throws -> FileID {
        let absolute = PathName.resolve(path, against: FileManager.default.currentDirectoryPath)
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: absolute)
        } catch {
            throw CommandFailure([.error("cannot read '\(path)': no such file")], status: .ioError)
        }
        guard (attributes[.type] as? FileAttributeType) == .typeRegular,
            FileManager.default.isReadableFile(atPath: absolute)
        else {
            throw CommandFailure(
                [.error("cannot upload '\(path)': not a readable regular file", help: "give the path of a file")],
                status: .ioError
            )
        }
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        let modified = attributes[.modificationDate] as? Date ?? Date(timeIntervalSince1970: 0)
        let upload = connection.platform.prepareUpload(
            ofFile: absolute,
            size: size,
            modified: modified,
            to: folder,
            checkpoints: checkpoints
        )
        let display = makeLine(
            verb: upload.uploaded != nil
                ? "upload (sent before; registering)" : upload.isResumed ? "upload (resumed)" : "upload",
            name: PathName.basename(absolute),
            total: size
        )
        do {
            let id = try await connection.platform.uploadFile(
                upload,
                description: description,
                checkpoints: checkpoints
            ) { bytes, total in
                display.update(bytes: bytes, total: total)
            }
            display.finish()
            return id
        } catch var error as PlatformError where APIFailure.isAlreadyExists(error) {
            // The generic help ('rescale-int resume') is for runs, not for this command.
            display.finish("not registered")
            error.suggestion = Self.nameTakenHelp(name: PathName.basename(absolute), folder: folder)
            throw error
        } catch {
            display.finish("failed")
            throw error
        }
    }

    /// What to do when the folder already has a file of the uploaded file's name (the platform refuses a second).
    static func nameTakenHelp(name: String, folder: String?) -> String {
        let place = folder.map { "folder \($0)" } ?? "myLibrary"
        let listing = folder.map { "rescale-int folders list --folder-id \($0)" } ?? "rescale-int folders list"
        return "\(place) already has a file named '\(name)' ('\(listing)' shows its id): delete it with "
            + "'rescale-int files delete <id>' and run this command again (it registers what was sent, without "
            + "sending it again), rename the local file, or upload into another folder (--folder-id)"
    }

    /// Downloads registered files into local paths: checks the free space for all of them first (their sizes plus
    /// 15 %), skips a file whose path already holds it (same size and SHA-512), and writes each into
    /// `<path>.partial` before renaming it onto `path`.
    ///
    /// - Parameter files: Each file's record and its local path.
    /// - Returns: What was written or found in place.
    /// - Throws: ``CommandFailure`` (74) when the space is short (both numbers named) or a directory cannot be
    ///   made; `PlatformError` from the platform.
    package func download(_ files: [(record: FileRecord, path: String)]) async throws -> [DownloadedFile] {
        var pending: [(record: FileRecord, path: String)] = []
        var results: [DownloadedFile] = []
        for file in files {
            if try await connection.platform.holdsFile(file.record, at: file.path) {
                let line = makeLine(verb: "download", name: file.record.name ?? file.record.id, total: nil)
                line.finish("already downloaded")
                results.append(
                    DownloadedFile(
                        path: file.path,
                        bytes: file.record.decryptedSize?.value ?? 0,
                        sha512: file.record.sha512 ?? ""
                    )
                )
            } else {
                pending.append(file)
            }
        }
        try Self.checkFreeSpace(for: pending)
        for file in pending {
            let size = file.record.decryptedSize?.value
            let line = makeLine(verb: "download", name: file.record.name ?? file.record.id, total: size)
            do {
                let written = try await connection.platform.downloadFile(file.record, to: file.path) { progress in
                    line.update(bytes: progress.bytes, total: progress.totalBytes)
                }
                line.finish()
                results.append(written)
            } catch {
                line.finish("failed")
                throw error
            }
        }
        return results
    }

    /// Refuses before the first byte when a destination's file system lacks the files' size plus 15 %.
    ///
    /// - Throws: ``CommandFailure`` (74) naming the needed and the available bytes.
    package static func checkFreeSpace(for files: [(record: FileRecord, path: String)]) throws(CommandFailure) {
        var needed: [String: Int64] = [:]
        for file in files {
            let directory = PathName.dirname(file.path)
            needed[directory, default: 0] += file.record.decryptedSize?.value ?? 0
        }
        for (directory, bytes) in needed.sorted(by: { $0.key < $1.key }) {
            // bytes + 15 %, rounded up, without overflowing for large sizes.
            let required = bytes + bytes / 100 * 15 + (bytes % 100 * 15 + 99) / 100
            let available: Int64
            do {
                available = try FreeSpace.available(at: directory)
            } catch {
                throw CommandFailure([.error("\(error)")], status: .ioError)
            }
            guard available >= required else {
                throw CommandFailure(
                    [
                        .error(
                            "not enough free space in '\(directory)': the download needs \(required) bytes "
                                + "(\(bytes) + 15 %) but \(available) bytes are available",
                            help: "free some space or download to another directory with -d/--outdir"
                        )
                    ],
                    status: .ioError
                )
            }
        }
    }

    private func makeLine(verb: String, name: String, total: Int64?) -> TransferProgressLine {
        if let isTerminal { return TransferProgressLine(verb: verb, name: name, total: total, isTerminal: isTerminal) }
        return TransferProgressLine(verb: verb, name: name, total: total)
    }
}

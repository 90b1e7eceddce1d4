import Foundation
import InterlinkCore
import InterlinkSystem
import RescaleAPI
import RescalePlatform

/// The work behind the Files tab's routes: local entries under the study directory, Rescale folder entries, and
/// transfers between them through the platform adapter.
package struct FilesService: Sendable {
    /// One entry of a local directory.
    package struct LocalEntry: Codable, Hashable, Sendable {
        /// The file name.
        package var name: String
        /// Its path relative to the study directory.
        package var path: String
        /// `file`, `directory` or `link` (a link is shown, never followed).
        package var kind: String
        /// Its size in bytes (files).
        package var size: Int64?
        /// Its modification time.
        package var modified: Date?
    }

    /// A local directory's listing.
    package struct LocalListing: Codable, Hashable, Sendable {
        /// The directory, relative to the study directory ("" for the study directory).
        package var path: String
        /// Its entries: directories first, then by name.
        package var entries: [LocalEntry]
    }

    /// One entry of a Rescale folder.
    package struct RemoteEntry: Codable, Hashable, Sendable {
        /// `folder` or `file`.
        package var type: String
        /// Its id.
        package var id: String
        /// Its name.
        package var name: String
        /// Its size in bytes (files).
        package var size: Int64?
        /// When it was uploaded or created.
        package var date: String?
    }

    /// A Rescale folder's listing.
    package struct RemoteListing: Codable, Hashable, Sendable {
        /// The folder id (`myLibrary`'s id when none was asked for).
        package var folder: String
        /// Its entries: folders first, then by name.
        package var entries: [RemoteEntry]
    }

    /// What an upload or a download did.
    package struct TransferResult: Codable, Hashable, Sendable {
        /// The transfer on the board.
        package var transfer: String
        /// The file id (uploaded or downloaded).
        package var id: String
        /// The file's name.
        package var name: String
        /// The local path, relative to the study directory.
        package var path: String
        /// Its size in bytes.
        package var bytes: Int64
    }

    /// The shared services.
    package var services: WebServices
    /// Where transfers are shown.
    package var board: TransferBoard

    /// Creates the service.
    ///
    /// - Parameters:
    ///   - services: The shared services (study directory, connection).
    ///   - board: Where transfers are shown.
    package init(services: WebServices, board: TransferBoard) {
        self.services = services
        self.board = board
    }

    /// A transfer's change as a `transfer` event on the bus.
    package static func event(_ transfer: TransferState) -> WebEvent {
        let data = (try? WebReply.encoder.encode(transfer)).map { String(decoding: $0, as: UTF8.self) }
        let percent = transfer.total.map { $0 > 0 ? " \(transfer.bytes * 100 / $0)%" : "" } ?? ""
        return WebEvent(
            source: "transfer",
            level: transfer.state == "failed" ? "error" : "info",
            text: "\(transfer.direction) \(transfer.name): \(transfer.state)\(percent)",
            data: data
        )
    }

    /// Lists a directory under the study directory.
    ///
    /// - Parameter path: The directory, relative to the study directory.
    /// - Returns: Its entries.
    /// - Throws: ``StudyPathError`` for a refused path; ``WebError`` (404) when it is not a directory.
    package func listLocal(_ path: String) async throws -> LocalListing {
        let directory = services.directory
        let target = try StudyPath(path, in: directory)
        return try await Blocking.run { () throws -> LocalListing in
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: target.absolute, isDirectory: &isDirectory),
                isDirectory.boolValue
            else { throw WebError(.notFound("no directory '\(target.relative)' in the study directory")) }
            let names = try FileManager.default.contentsOfDirectory(atPath: target.absolute)
            let entries = names.map { name -> LocalEntry in
                let absolute = PathName.join(target.absolute, name)
                let attributes = (try? FileManager.default.attributesOfItem(atPath: absolute)) ?? [:]
                let type = attributes[.type] as? FileAttributeType
                let kind =
                    type == .typeSymbolicLink ? "link" : type == .typeDirectory ? "directory" : "file"
                return LocalEntry(
                    name: name,
                    path: target.relative.isEmpty ? name : target.relative + "/" + name,
                    kind: kind,
                    size: kind == "file" ? (attributes[.size] as? NSNumber)?.int64Value : nil,
                    modified: attributes[.modificationDate] as? Date
                )
            }
            return LocalListing(
                path: target.relative,
                entries: entries.sorted {
                    ($0.kind == "directory" ? 0 : 1, $0.name) < ($1.kind == "directory" ? 0 : 1, $1.name)
                }
            )
        }
    }

    /// Creates a directory under the study directory.
    ///
    /// - Parameters:
    ///   - name: The new directory's name.
    ///   - path: Its parent, relative to the study directory.
    /// - Returns: The new directory's entry.
    /// - Throws: ``StudyPathError``; ``WebError`` (409) when the name is taken.
    package func createLocalFolder(_ name: String, in path: String) async throws -> LocalEntry {
        let directory = services.directory
        let target = try StudyPath(path, in: directory).child(name, in: directory)
        try await Blocking.run { () throws in
            guard !FileManager.default.fileExists(atPath: target.absolute) else {
                throw WebError(.conflict("'\(target.relative)' already exists"))
            }
            try FileManager.default.createDirectory(atPath: target.absolute, withIntermediateDirectories: false)
        }
        return LocalEntry(name: name, path: target.relative, kind: "directory", size: nil, modified: Date())
    }

    /// Deletes a file, a link or an empty directory under the study directory (never the study directory itself,
    /// never a directory that is not empty).
    ///
    /// - Parameter path: The entry, relative to the study directory.
    /// - Throws: ``StudyPathError``; ``WebError``: 400 for the study directory, 404 when absent, 409 for a
    ///   directory that is not empty.
    package func deleteLocal(_ path: String) async throws {
        let directory = services.directory
        let target = try StudyPath(path, in: directory)
        guard !target.relative.isEmpty else { throw WebError(.badRequest("the study directory cannot be deleted")) }
        try await Blocking.run { () throws in
            let attributes: [FileAttributeKey: Any]
            do {
                attributes = try FileManager.default.attributesOfItem(atPath: target.absolute)
            } catch {
                throw WebError(.notFound("no '\(target.relative)' in the study directory"))
            }
            if attributes[.type] as? FileAttributeType == .typeDirectory,
                !((try? FileManager.default.contentsOfDirectory(atPath: target.absolute)) ?? []).isEmpty
            {
                throw WebError(.conflict("'\(target.relative)' is a directory that is not empty"))
            }
            try FileManager.default.removeItem(atPath: target.absolute)
        }
    }

    /// Lists a Rescale folder (`myLibrary` when nil).
    ///
    /// - Parameter folder: The folder id, or nil.
    /// - Returns: Its entries.
    /// - Throws: ``WebError`` for a platform or configuration failure.
    package func listRemote(_ folder: String?) async throws -> RemoteListing {
        try await withPlatform { api, platform in
            let id: String
            if let folder { id = folder } else { id = try await platform.libraryFolderID() }
            let entries = try await api.folderEntries(id).compactMap(FolderCache.Entry.init).map { entry in
                let item = entry.record["item"]
                let size = item?["decryptedSize"]
                return RemoteEntry(
                    type: entry.isFolder ? "folder" : "file",
                    id: entry.id,
                    name: entry.name,
                    size: size?.int.map(Int64.init) ?? size?.string.flatMap { Int64($0) },
                    date: item?["dateUploaded"]?.string ?? item?["dateInserted"]?.string
                        ?? item?["dateCreated"]?.string
                )
            }
            return RemoteListing(
                folder: id,
                entries: entries.sorted {
                    ($0.type == "folder" ? 0 : 1, $0.name) < ($1.type == "folder" ? 0 : 1, $1.name)
                }
            )
        }
    }

    /// Creates a Rescale folder.
    ///
    /// - Parameters:
    ///   - name: Its name (no `/`).
    ///   - folder: The parent, or nil for `myLibrary`.
    /// - Returns: The new folder's entry.
    /// - Throws: ``WebError``: 400 for a bad name, 409 when a folder of that name exists, 502 for the platform.
    package func createRemoteFolder(_ name: String, in folder: String?) async throws -> RemoteEntry {
        guard !name.isEmpty, !name.contains("/") else {
            throw WebError(.badRequest("a folder name is not empty and has no '/'"))
        }
        let (id, existed) = try await withPlatform { api, platform in
            let parent: String
            if let folder, !folder.isEmpty { parent = folder } else { parent = try await platform.libraryFolderID() }
            return try await FolderCache(api: api).createFolder(named: name, in: parent, api: api)
        }
        guard !existed else { throw WebError(.conflict("a folder named '\(name)' already exists here: \(id)")) }
        return RemoteEntry(type: "folder", id: id, name: name, size: nil, date: nil)
    }

    /// Deletes a Rescale file or folder (a folder with everything in it).
    ///
    /// - Parameters:
    ///   - type: `file` or `folder`.
    ///   - id: Its id.
    /// - Throws: ``WebError`` for a bad type or a platform failure.
    package func deleteRemote(type: String, id: String) async throws {
        guard type == "file" || type == "folder" else {
            throw WebError(.badRequest("'\(type)' is neither 'file' nor 'folder'"))
        }
        try await withPlatform { api, _ in
            if type == "file" { try await api.deleteFile(id) } else { try await api.deleteFolder(id) }
        }
    }

    /// Uploads a local file under the study directory into a Rescale folder, continuing an interrupted upload of
    /// the same file; progress goes to the board.
    ///
    /// - Parameters:
    ///   - path: The file, relative to the study directory.
    ///   - folder: The folder id, or nil for `myLibrary`.
    /// - Returns: What was uploaded.
    /// - Throws: ``StudyPathError``; ``WebError``: 400 for what is not a regular file, 502 for the platform.
    package func upload(_ path: String, to folder: String?) async throws -> TransferResult {
        let target = try StudyPath(path, in: services.directory)
        let facts = try await Blocking.run { () throws -> (Int64, Date) in
            let attributes = try? FileManager.default.attributesOfItem(atPath: target.absolute)
            guard let attributes, attributes[.type] as? FileAttributeType == .typeRegular else {
                throw WebError(.badRequest("'\(target.relative)' is not a regular file"))
            }
            return (
                (attributes[.size] as? NSNumber)?.int64Value ?? 0,
                attributes[.modificationDate] as? Date ?? Date(timeIntervalSince1970: 0)
            )
        }
        let folder = folder.flatMap { $0.isEmpty ? nil : $0 }
        let name = PathName.basename(target.absolute)
        let checkpoints = UploadCheckpointStore(environment: services.processes.environment)
        let board = self.board
        return try await withPlatform { _, platform in
            await platform.pruneUploadCheckpoints(checkpoints)
            let upload = platform.prepareUpload(
                ofFile: target.absolute,
                size: facts.0,
                modified: facts.1,
                to: folder,
                checkpoints: checkpoints
            )
            let id = board.start("upload", name: name, target: folder ?? "myLibrary", total: facts.0)
            do {
                let file = try await platform.uploadFile(upload, description: nil, checkpoints: checkpoints) {
                    bytes,
                    total in
                    board.update(id, bytes: bytes, total: total)
                }
                board.finish(id)
                return TransferResult(
                    transfer: id,
                    id: file.rawValue,
                    name: name,
                    path: target.relative,
                    bytes: facts.0
                )
            } catch {
                board.finish(id, error: ErrorText.describe(error))
                throw error
            }
        }
    }

    /// Downloads a Rescale file into a directory under the study directory (decrypted, SHA-512 checked, written
    /// to `<name>.partial` first); a file already there with the same size and SHA-512 is kept.
    ///
    /// - Parameters:
    ///   - id: The file id.
    ///   - path: The directory, relative to the study directory.
    /// - Returns: What was written.
    /// - Throws: ``StudyPathError``; ``WebError`` (502) for the platform.
    package func download(_ id: String, into path: String) async throws -> TransferResult {
        let directory = services.directory
        let folder = try StudyPath(path, in: directory)
        let board = self.board
        let record = try await withPlatform { api, _ in try await api.file(id) }
        let name = record.name ?? id
        let target = try folder.child(LocalName.safe(name), in: directory)
        let size = record.decryptedSize?.value
        let transfer = try await withPlatform { _, platform in
            let transfer = board.start("download", name: name, target: folder.relative, total: size)
            do {
                if try await !platform.holdsFile(record, at: target.absolute) {
                    _ = try await platform.downloadFile(record, to: target.absolute) { progress in
                        board.update(transfer, bytes: progress.bytes, total: progress.totalBytes)
                    }
                }
                board.finish(transfer)
            } catch {
                board.finish(transfer, error: ErrorText.describe(error))
                throw error
            }
            return transfer
        }
        return TransferResult(transfer: transfer, id: id, name: name, path: target.relative, bytes: size ?? 0)
    }

    /// Runs platform work, turning its failures into ``WebError``s the page can show (the work itself throws only
    /// the platform's errors: the CLI's connection wraps every other error).
    func withPlatform<T: Sendable>(_ body: (RescaleAPIClient, RescalePlatform) async throws -> T) async throws -> T {
        try await PlatformCall.run(services.connection, body)
    }
}

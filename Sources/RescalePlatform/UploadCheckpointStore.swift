import Foundation
import InterlinkCore
import InterlinkSystem

/// Where interrupted `files upload`s keep their place, so that running the same command again continues them.
///
/// One file per upload under `$XDG_STATE_HOME/rescale-int/uploads/` (default `~/.local/state/…`), mode 600 (the
/// checkpoint holds the file's data key), named after the platform, the folder and the local file's path, size and
/// modification time: a changed file starts over. The file is removed once the upload's object is complete; the
/// object itself is then kept beside it (`<name>.uploaded.json`, also mode 600) until it is registered, so a
/// registration that was refused (the folder has a file of that name) or lost registers the object on the next
/// attempt instead of sending the file again.
///
/// Each file also names its upload's source (``UploadSource``: the platform, the local file's path, size and
/// modification time), so that ``prune(platform:now:maxAge:)`` can remove what no upload can use any more: a
/// checkpoint whose file changed or went away would otherwise keep its data key, and its unfinished multipart
/// upload its storage, for ever.
package struct UploadCheckpointStore: Sendable {
    /// How long an entry is kept whatever its source: a month without an attempt to finish it.
    package static let maxAge: TimeInterval = 30 * 86_400
    /// How old an interrupted save's temporary file must be to be removed: older than any save in progress.
    package static let leftoverAge: TimeInterval = 3_600

    /// What ``prune(platform:now:maxAge:)`` removed.
    package struct Pruned: Sendable {
        /// The removed checkpoints whose multipart uploads may still be in this platform's storage (to abort).
        package var checkpoints: [UploadCheckpoint] = []
        /// The names of the files removed.
        package var names: [String] = []
    }

    /// A checkpoint as it is saved: the checkpoint and its source (absent in files of earlier versions).
    private struct SavedCheckpoint: Codable {
        var payload: String
        var committedBytes: Int64
        var source: UploadSource?
    }

    /// A kept object as it is saved: the object and its source (absent in files of earlier versions).
    private struct SavedObject: Codable {
        var name: String
        var storagePath: String
        var plaintextBytes: Int64
        var sha512: String
        var attributes: [String: String]
        var source: UploadSource?

        var object: UploadedObject {
            UploadedObject(
                name: name,
                storagePath: storagePath,
                plaintextBytes: plaintextBytes,
                sha512: sha512,
                attributes: attributes
            )
        }
    }

    /// The directory.
    package var directory: String

    /// The store for an environment.
    package init(environment: [String: String]) {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            directory = state + "/rescale-int/uploads"
        } else {
            let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
            directory = home + "/.local/state/rescale-int/uploads"
        }
    }

    /// The checkpoint file of one upload.
    ///
    /// - Parameters:
    ///   - platform: The platform URL.
    ///   - folder: The target folder id, or nil for `myLibrary`.
    ///   - path: The local file's absolute path.
    ///   - size: Its size in bytes.
    ///   - modified: Its modification time.
    /// - Returns: The path of the checkpoint file.
    package func path(platform: String, folder: String?, file path: String, size: Int64, modified: Date) -> String {
        let identity = [platform, folder ?? "", path, "\(size)", "\(modified.timeIntervalSince1970)"]
            .joined(separator: "\n")
        // A name, not a secret: a collision only restarts an upload.
        return directory + "/" + NameDigest.of(identity) + ".json"
    }

    /// The saved checkpoint, or nil when there is none (or it cannot be read: the upload starts over).
    package func load(_ path: String) -> UploadCheckpoint? {
        (try? AtomicFile.readJSON(SavedCheckpoint.self, from: path)).map {
            UploadCheckpoint(payload: $0.payload, committedBytes: $0.committedBytes)
        }
    }

    /// Saves a checkpoint with its source (atomically, mode 600).
    ///
    /// - Throws: `SystemError` when it cannot be written.
    package func save(_ checkpoint: UploadCheckpoint, of source: UploadSource, to path: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let saved = SavedCheckpoint(
            payload: checkpoint.payload,
            committedBytes: checkpoint.committedBytes,
            source: source
        )
        try AtomicFile.write(try AtomicFile.encodeJSON(saved), to: path)
    }

    /// Where the complete, unregistered object of the upload whose checkpoint is `path` is kept.
    package func uploadedPath(forCheckpoint path: String) -> String {
        (path.hasSuffix(".json") ? String(path.dropLast(5)) : path) + ".uploaded.json"
    }

    /// The complete object an earlier attempt could not register, or nil (none, or unreadable: the upload is
    /// sent again).
    package func loadUploaded(forCheckpoint path: String) -> UploadedObject? {
        (try? AtomicFile.readJSON(SavedObject.self, from: uploadedPath(forCheckpoint: path)))?.object
    }

    /// Keeps a complete object until it is registered, with its source (atomically, mode 600: it holds the file's
    /// data key).
    ///
    /// - Throws: `SystemError` when it cannot be written.
    package func saveUploaded(_ object: UploadedObject, of source: UploadSource, forCheckpoint path: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let saved = SavedObject(
            name: object.name,
            storagePath: object.storagePath,
            plaintextBytes: object.plaintextBytes,
            sha512: object.sha512,
            attributes: object.attributes,
            source: source
        )
        try AtomicFile.write(try AtomicFile.encodeJSON(saved), to: uploadedPath(forCheckpoint: path))
    }

    /// Removes what no upload can use any more.
    ///
    /// - An entry of this platform whose local file is gone, or has another size or modification time: its name
    ///   is made from them, so no upload finds it again.
    /// - Any entry older than `maxAge` (whatever its platform, and entries of earlier versions, which do not name
    ///   their source).
    /// - An interrupted save's temporary file older than ``leftoverAge``.
    ///
    /// Blocking file work: call it off the cooperative pool.
    ///
    /// - Parameters:
    ///   - platform: The platform URL of the uploads about to run.
    ///   - now: The current time.
    ///   - maxAge: How long an entry is kept whatever its source.
    /// - Returns: What was removed, with the checkpoints whose multipart uploads should be aborted.
    package func prune(platform: String, now: Date = Date(), maxAge: TimeInterval = Self.maxAge) -> Pruned {
        var pruned = Pruned()
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names.sorted() {
            let path = directory + "/" + name
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                attributes[.type] as? FileAttributeType == .typeRegular
            else { continue }
            let age = now.timeIntervalSince(attributes[.modificationDate] as? Date ?? now)
            if name.contains(AtomicFile.temporaryMarker) {
                if age > Self.leftoverAge, (try? FileManager.default.removeItem(atPath: path)) != nil {
                    pruned.names.append(name)
                }
                continue
            }
            guard name.hasSuffix(".json") else { continue }
            var source: UploadSource?
            var checkpoint: UploadCheckpoint?
            if name.hasSuffix(".uploaded.json") {
                source = (try? AtomicFile.readJSON(SavedObject.self, from: path))?.source
            } else if let saved = try? AtomicFile.readJSON(SavedCheckpoint.self, from: path) {
                source = saved.source
                checkpoint = UploadCheckpoint(payload: saved.payload, committedBytes: saved.committedBytes)
            }
            let isMine = source.map { $0.platform == platform } ?? false
            guard age > maxAge || (isMine && source?.isCurrent() == false) else { continue }
            guard (try? FileManager.default.removeItem(atPath: path)) != nil else { continue }
            pruned.names.append(name)
            // A checkpoint of earlier versions does not name its platform: the abort checks the storage instead.
            if let checkpoint, isMine || source == nil { pruned.checkpoints.append(checkpoint) }
        }
        return pruned
    }

    /// Removes a checkpoint once the upload's object is complete (or a kept object once it is registered), with the
    /// temporary siblings an interrupted save of it left (a process killed while saving: each holds the same data
    /// key, so none may outlive the upload).
    ///
    /// - Parameter path: The checkpoint file, as ``path(platform:folder:file:size:modified:)`` names it, or a kept
    ///   object's (``uploadedPath(forCheckpoint:)``).
    package func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
        let leftover = (path as NSString).lastPathComponent + AtomicFile.temporaryMarker
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names where name.hasPrefix(leftover) {
            try? FileManager.default.removeItem(atPath: directory + "/" + name)
        }
    }
}

/// The local file an upload reads and the platform it goes to, saved beside its checkpoint and kept object.
package struct UploadSource: Hashable, Sendable, Codable {
    /// The platform URL.
    package var platform: String
    /// The file's absolute path.
    package var path: String
    /// Its size in bytes.
    package var size: Int64
    /// Its modification time, in seconds since 1970.
    package var modified: Double

    /// Creates a source.
    package init(platform: String, path: String, size: Int64, modified: Date) {
        self.platform = platform
        self.path = path
        self.size = size
        self.modified = modified.timeIntervalSince1970
    }

    /// Whether the file is still the one the upload read: a regular file of the same size and modification time.
    ///
    /// Blocking: it looks at the file.
    package func isCurrent() -> Bool {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            attributes[.type] as? FileAttributeType == .typeRegular,
            let date = attributes[.modificationDate] as? Date
        else { return false }
        return (attributes[.size] as? NSNumber)?.int64Value == size && abs(date.timeIntervalSince1970 - modified) < 1e-6
    }
}

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
package struct UploadCheckpointStore: Sendable {
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
        // Two FNV-1a hashes with different offsets: a name, not a secret (a collision only restarts an upload).
        let digest = [UInt64(0xcbf2_9ce4_8422_2325), 0x8422_2325_cbf2_9ce4].map { offset in
            var hash = offset
            for byte in identity.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
            return String(hash, radix: 16)
        }
        return directory + "/" + digest.joined(separator: "-") + ".json"
    }

    /// The saved checkpoint, or nil when there is none (or it cannot be read: the upload starts over).
    package func load(_ path: String) -> UploadCheckpoint? {
        try? AtomicFile.readJSON(UploadCheckpoint.self, from: path)
    }

    /// Saves a checkpoint (atomically, mode 600).
    ///
    /// - Throws: `SystemError` when it cannot be written.
    package func save(_ checkpoint: UploadCheckpoint, to path: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try AtomicFile.write(try AtomicFile.encodeJSON(checkpoint), to: path)
    }

    /// Where the complete, unregistered object of the upload whose checkpoint is `path` is kept.
    package func uploadedPath(forCheckpoint path: String) -> String {
        (path.hasSuffix(".json") ? String(path.dropLast(5)) : path) + ".uploaded.json"
    }

    /// The complete object an earlier attempt could not register, or nil (none, or unreadable: the upload is
    /// sent again).
    package func loadUploaded(forCheckpoint path: String) -> UploadedObject? {
        try? AtomicFile.readJSON(UploadedObject.self, from: uploadedPath(forCheckpoint: path))
    }

    /// Keeps a complete object until it is registered (atomically, mode 600: it holds the file's data key).
    ///
    /// - Throws: `SystemError` when it cannot be written.
    package func saveUploaded(_ object: UploadedObject, forCheckpoint path: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try AtomicFile.write(try AtomicFile.encodeJSON(object), to: uploadedPath(forCheckpoint: path))
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

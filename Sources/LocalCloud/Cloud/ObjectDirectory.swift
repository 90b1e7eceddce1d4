import CSystemCodecs
import Foundation
import InterlinkCore
import InterlinkSystem
import InterlinkTransfer

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The local cloud's object storage: immutable encrypted objects under `objects/`, each with a JSON sidecar
/// holding exactly the user metadata S3 would keep (`iv`, `streamingformat`, `partsize`, or v1's `formatversion`
/// and `fileid`), and objects being written under `uploads/` like multipart uploads.
///
/// Objects are never overwritten: names carry a fresh random suffix.
package struct ObjectDirectory: Sendable {
    /// The directory of complete objects.
    package let objectsDirectory: String
    /// The directory of objects being uploaded.
    package let uploadsDirectory: String
    /// One `fsync` of the objects directory shared by every completion waiting for it (``syncDirectory()``).
    private let directoryCommit: GroupCommit

    /// Creates the store under `root`, creating its directories.
    ///
    /// - Throws: `LocalCloudError` when the directories cannot be created.
    package init(root: String) throws(LocalCloudError) {
        let objectsDirectory = root + "/objects"
        self.objectsDirectory = objectsDirectory
        uploadsDirectory = root + "/uploads"
        directoryCommit = GroupCommit {
            let directory = open(objectsDirectory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard directory >= 0 else { return errno }
            defer { close(directory) }
            return fsync(directory) == 0 ? 0 : errno
        }
        for directory in [objectsDirectory, uploadsDirectory] {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw LocalCloudError.io(path: directory, detail: "\(error)")
            }
        }
    }

    /// A new object name for a file called `name`: `<stem>-<random suffix>` (``ObjectNameSuffix``), where the stem is
    /// the name without leading dots and cut to at most 128 bytes at a character boundary (`file` when nothing is
    /// left), so that any legal file name, a dot file or one of 255 bytes, makes a valid object name.
    ///
    /// - Parameter name: The file's name (its record keeps it whole).
    /// - Returns: The object name.
    package static func objectName(for name: String) -> String {
        var stem = ""
        var bytes = 0
        for scalar in name.unicodeScalars.drop(while: { $0 == "." }) {
            let length = String(scalar).utf8.count
            guard bytes + length <= 128 else { break }
            stem.unicodeScalars.append(scalar)
            bytes += length
        }
        return ObjectNameSuffix.objectName(for: stem.isEmpty ? "file" : stem)
    }

    /// The path of a complete object.
    package func path(of name: String) -> String { objectsDirectory + "/" + name }

    /// Whether a complete object exists.
    package func contains(_ name: String) -> Bool { FileManager.default.fileExists(atPath: path(of: name)) }

    /// The size of a complete object, if it exists.
    package func size(of name: String) -> Int64? { Self.size(at: path(of: name)) }

    /// The bytes an unfinished upload holds so far; nil when there is no such upload.
    package func uploadedSize(of name: String) -> Int64? { Self.size(at: uploadPath(name)) }

    /// Writes one part of an upload at `offset`, creating the upload at offset 0, and makes it durable.
    ///
    /// Anything
    /// after the part (from an earlier attempt) is cut off.
    ///
    /// - Throws: `LocalCloudError` when the write fails or `offset` is past the end of the upload.
    package func writePart(_ bytes: Data, of name: String, at offset: Int64) throws(LocalCloudError) {
        try Self.checkName(name)
        let path = uploadPath(name)
        let flags = O_WRONLY | O_CLOEXEC | (offset == 0 ? O_CREAT : 0)
        let descriptor = open(path, flags, 0o600)
        guard descriptor >= 0 else { throw LocalCloudError.io(path: path, errno: errno) }
        defer { close(descriptor) }
        guard let size = Self.size(at: path), size >= offset else {
            throw LocalCloudError.rejected("part at offset \(offset) of '\(name)' does not follow the parts stored")
        }
        let ok = bytes.withUnsafeBytes { buffer in
            il_pwrite_all(descriptor, buffer.baseAddress, buffer.count, offset) == 0
        }
        guard ok, ftruncate(descriptor, off_t(offset) + off_t(bytes.count)) == 0, fsync(descriptor) == 0 else {
            throw LocalCloudError.io(path: path, errno: errno)
        }
    }

    /// Completes an upload: writes the metadata sidecar, then moves the object into place.
    ///
    /// The sidecar is written in place and synced, not through a temporary file: its name is the object's, which
    /// is new, and it is read only for an object in place, which is moved there after the sidecar is synced. A
    /// crash in between leaves a sidecar without its object, as a crash after a temporary file's rename did.
    ///
    /// The move is durable once the caller's ``syncDirectory()`` returns (one sync for several objects), which
    /// must come before anything refers to the object.
    ///
    /// - Parameters:
    ///   - name: The object.
    ///   - metadata: Its user metadata.
    /// - Throws: `LocalCloudError` when there is no such upload or the move fails.
    package func complete(_ name: String, metadata: [String: String]) throws(LocalCloudError) {
        try Self.checkName(name)
        guard Self.size(at: uploadPath(name)) != nil else { throw LocalCloudError.notFound("upload \(name)") }
        var lowered: [String: String] = [:]
        for (key, value) in metadata { lowered[key.lowercased()] = value }
        try Self.writeSynced(json: lowered, to: metadataPath(name))
        // The sidecar and the object are in the same directory: one directory sync makes both durable.
        guard rename(uploadPath(name), path(of: name)) == 0 else {
            throw LocalCloudError.io(path: path(of: name), errno: errno)
        }
    }

    /// Returns once every object moved into place before the call is durable: one `fsync` of the objects
    /// directory, shared with every concurrent caller (the outputs of jobs ending together, the inputs of
    /// concurrent uploads).
    ///
    /// - Throws: `LocalCloudError.io` when the sync fails (and from then on: a failed sync may have lost entries).
    package func syncDirectory() async throws(LocalCloudError) {
        let ticket = directoryCommit.noteWritten()
        do {
            try await directoryCommit.waitDurable(through: ticket)
        } catch {
            throw LocalCloudError.io(path: objectsDirectory, errno: error.code)
        }
    }

    /// Writes a small JSON file at `path` (created or replaced in place) and syncs it.
    private static func writeSynced(json value: [String: String], to path: String) throws(LocalCloudError) {
        let data: Data
        do {
            data = try AtomicFile.encodeJSON(value)
        } catch {
            throw LocalCloudError.corrupt(path: path, detail: ErrorText.describe(error))
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw LocalCloudError.io(path: path, errno: errno) }
        defer { close(descriptor) }
        let written = data.withUnsafeBytes { bytes in il_pwrite_all(descriptor, bytes.baseAddress, bytes.count, 0) }
        guard written == 0, fsync(descriptor) == 0 else { throw LocalCloudError.io(path: path, errno: errno) }
    }

    /// The user metadata of a complete object (what a HEAD returns).
    ///
    /// - Throws: `LocalCloudError` when the object or its sidecar does not exist.
    package func metadata(of name: String) throws(LocalCloudError) -> [String: String] {
        guard contains(name) else { throw LocalCloudError.notFound("object \(name)") }
        return try RecordFile.read([String: String].self, from: metadataPath(name))
    }

    private func uploadPath(_ name: String) -> String { uploadsDirectory + "/" + name }

    private func metadataPath(_ name: String) -> String { objectsDirectory + "/" + name + ".metadata.json" }

    private static func checkName(_ name: String) throws(LocalCloudError) {
        guard !name.isEmpty, !name.contains("/"), !name.hasPrefix("."), !name.hasSuffix(".metadata.json") else {
            throw LocalCloudError.rejected("'\(name)' is not a valid object name")
        }
    }

    private static func size(at path: String) -> Int64? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Int64(info.st_size)
    }
}

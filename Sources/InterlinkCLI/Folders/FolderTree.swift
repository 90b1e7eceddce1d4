import Foundation
import InterlinkCore
import RescaleAPI

/// Folder work shared by the `folders` commands, every lookup through the connection's ``FolderCache``.
package struct FolderTree: Sendable {
    /// The connection.
    package var connection: RescaleConnection

    /// Creates the helper.
    package init(connection: RescaleConnection) { self.connection = connection }

    /// Creates a child folder and drops the parent's cached listing.
    ///
    /// - Parameters:
    ///   - name: The new folder's name.
    ///   - parent: The parent folder id.
    ///   - adoptExisting: Return the id of a child folder of that name that already exists instead of failing.
    /// - Returns: The folder's id.
    /// - Throws: ``CommandFailure`` (69) when a folder of that name exists and `adoptExisting` is false;
    ///   `PlatformError` from the calls.
    package func create(_ name: String, in parent: String, adoptExisting: Bool) async throws -> String {
        let cache = connection.folders
        if adoptExisting, let existing = try await cache.childFolder(named: name, in: parent) { return existing }
        let (id, existed) = try await cache.createFolder(named: name, in: parent, api: connection.api)
        guard existed, !adoptExisting else { return id }
        throw CommandFailure(
            [
                .error(
                    "a folder named '\(name)' already exists in folder '\(parent)': \(id)",
                    help: "use its id, or choose another name"
                )
            ],
            status: .unavailable
        )
    }

    /// The folder at a relative path under `root`, creating each missing part.
    ///
    /// - Parameters:
    ///   - path: Folder names separated by `/` (empty for `root`).
    ///   - root: Where the path starts.
    /// - Returns: The folder's id.
    /// - Throws: `PlatformError` from a listing or a create.
    package func ensure(_ path: String, under root: String) async throws -> String {
        if let found = try await connection.folders.folder(atPath: path, from: root) { return found }
        var current = root
        for part in path.split(separator: "/") where !part.isEmpty {
            current = try await create(String(part), in: current, adoptExisting: true)
        }
        return current
    }

    /// Every file under a folder, with its path relative to the folder, and every subfolder's relative path.
    ///
    /// - Parameter root: The folder id.
    /// - Returns: The files (record and relative path) and the folders, parents before children.
    /// - Throws: `PlatformError` from a listing.
    package func walk(_ root: String) async throws -> (files: [(record: FileRecord, path: String)], folders: [String]) {
        var files: [(record: FileRecord, path: String)] = []
        var folders: [String] = []
        var queue: [(id: String, path: String)] = [(root, "")]
        while !queue.isEmpty {
            let (id, path) = queue.removeFirst()
            for entry in try await connection.folders.contents(of: id) {
                let child = path.isEmpty ? LocalName.safe(entry.name) : path + "/" + LocalName.safe(entry.name)
                if entry.isFolder {
                    folders.append(child)
                    queue.append((entry.id, child))
                } else if entry.type == "file", let record = Self.fileRecord(entry) {
                    files.append((record, child))
                }
            }
        }
        return (files, folders)
    }

    /// The file record inside a listing entry.
    package static func fileRecord(_ entry: FolderCache.Entry) -> FileRecord? {
        guard let item = entry.record["item"] else { return nil }
        return try? JSONDecoder().decode(FileRecord.self, from: Data(item.compactJSON.utf8))
    }
}

import Foundation
import InterlinkCore

/// The stat cache kept as one file, `<workflow directory>/.interlink/stat-cache`, written atomically.
///
/// Its write time is the file's own modification time, read back from the file system as git reads its index's,
/// so the racy check compares times from the same clock as the inputs' times.
package struct StatCacheFile: StatCacheStore {
    /// Whether saving creates `.interlink/` when it does not exist.
    ///
    /// The CLI passes false: planning never creates the directory (a run that fails before it starts leaves
    /// nothing behind), so the cache is kept from the second plan of a workflow on. The plan bench passes true.
    package var createsDirectory: Bool

    /// Creates the store.
    ///
    /// - Parameter createsDirectory: Whether a save may create `.interlink/` beside the workflow.
    package init(createsDirectory: Bool) { self.createsDirectory = createsDirectory }

    /// The cache file of a workflow directory.
    package static func path(baseDirectory: String) -> String {
        PathName.join(PathName.join(baseDirectory, ".interlink"), "stat-cache")
    }

    package func load(baseDirectory: String) -> StatCache {
        let path = Self.path(baseDirectory: baseDirectory)
        let fileSystem = LocalFileSystem(currentDirectory: baseDirectory)
        guard let status = fileSystem.status(at: path),
            let data = FileManager.default.contents(atPath: path)
        else { return StatCache() }
        return StatCache.decoding([UInt8](data), writtenAt: status.modificationNanoseconds)
    }

    package func save(_ cache: StatCache, baseDirectory: String) {
        let directory = PathName.join(baseDirectory, ".interlink")
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard createsDirectory,
                (try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true))
                    != nil
            else { return }
        } else if !isDirectory.boolValue {
            return
        }
        try? Data(cache.encoded()).write(
            to: URL(fileURLWithPath: Self.path(baseDirectory: baseDirectory)),
            options: .atomic
        )
    }
}

import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A regular file's identity and state, to tell an input left alone from one the command rewrote.
package struct FileStamp: Hashable, Sendable, Codable {
    /// Size in bytes.
    package var size: Int64
    /// Modification time in nanoseconds since the epoch.
    package var modified: Int64
    /// The inode number.
    package var inode: UInt64

    /// The stamp of the regular file at `path` (not following a final symbolic link); nil for anything else.
    package static func of(_ path: String) -> FileStamp? {
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        let modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        return FileStamp(size: Int64(info.st_size), modified: modified, inode: UInt64(info.st_ino))
    }
}

/// Lists the regular files under a work directory: a job's outputs.
package enum OutputListing {
    /// Every regular file under `directory` (symbolic links are neither followed nor listed), relative to it and
    /// sorted, except those whose stamp is unchanged from `excluding` (inputs the command left alone).
    package static func files(in directory: String, excluding: [String: FileStamp]) -> [String] {
        stamps(in: directory).filter { excluding[$0.key] != $0.value }.keys.sorted()
    }

    /// The stamps of every regular file under `directory`, by relative path.
    package static func stamps(in directory: String) -> [String: FileStamp] {
        var result: [String: FileStamp] = [:]
        var pending = [""]
        while let relative = pending.popLast() {
            let absolute = relative.isEmpty ? directory : directory + "/" + relative
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: absolute) else { continue }
            for name in names {
                let child = relative.isEmpty ? name : relative + "/" + name
                var info = stat()
                guard lstat(directory + "/" + child, &info) == 0 else { continue }
                switch info.st_mode & S_IFMT {
                case S_IFDIR: pending.append(child)
                case S_IFREG: result[child] = FileStamp.of(directory + "/" + child)
                default: continue
                }
            }
        }
        return result
    }
}

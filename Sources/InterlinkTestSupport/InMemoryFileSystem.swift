import InterlinkCore
import Synchronization

/// A file system held in memory, for unit tests of parsers and the planner.
///
/// Build it with paths and contents; directories are created implicitly for every file's parents.
package struct InMemoryFileSystem: FileSystem {
    package var currentDirectory: String
    package var homeDirectory: String
    private var entries: [String: FileEntry] = [:]
    private var texts: [String: String] = [:]
    private var inodes: [String: UInt64] = [:]
    private var children: [String: [String]] = [:]
    private let reads = ReadCounter()

    /// Counts file reads across copies of one file system (a value type shares its counter with its copies).
    private final class ReadCounter: Sendable {
        let paths = Mutex<[String]>([])
    }

    /// Every path whose contents were read through ``readChunks(at:_:)`` (as a content digest does), in order.
    package var contentReads: [String] { reads.paths.withLock { $0 } }

    /// Creates an empty file system with `/` as its only directory.
    package init(currentDirectory: String = "/work", homeDirectory: String = "/home/user") {
        self.currentDirectory = currentDirectory
        self.homeDirectory = homeDirectory
        entries["/"] = FileEntry(path: "/", kind: .directory, permissions: 0o755)
        addDirectory(currentDirectory)
    }

    /// Adds a text file (and its parent directories); adding it again replaces its contents and keeps its inode.
    package mutating func addFile(_ path: String, contents: String = "", modificationTime: Double = 0) {
        let path = absolute(path, relativeTo: currentDirectory)
        addDirectory(PathName.dirname(path))
        if inodes[path] == nil { inodes[path] = UInt64(inodes.count + 1) }
        store(
            FileEntry(
                path: path,
                kind: .file,
                size: Int64(contents.utf8.count),
                modificationTime: modificationTime
            )
        )
        texts[path] = contents
    }

    /// Adds a file of a given size whose contents are never read as text (its bytes read as zeros).
    package mutating func addFile(_ path: String, size: Int64) {
        let path = absolute(path, relativeTo: currentDirectory)
        addDirectory(PathName.dirname(path))
        if inodes[path] == nil { inodes[path] = UInt64(inodes.count + 1) }
        store(FileEntry(path: path, kind: .file, size: size))
    }

    /// Adds a directory (and its parents).
    package mutating func addDirectory(_ path: String) {
        var path = absolute(path, relativeTo: currentDirectory)
        while entries[path] == nil {
            store(FileEntry(path: path, kind: .directory, permissions: 0o755))
            path = PathName.dirname(path)
        }
    }

    /// Adds a symbolic link.
    package mutating func addSymlink(_ path: String, target: String) {
        let path = absolute(path, relativeTo: currentDirectory)
        addDirectory(PathName.dirname(path))
        store(FileEntry(path: path, kind: .symlink(target: target), permissions: 0o777))
    }

    /// Adds or replaces an entry, indexing it under its parent so listings do not scan every entry.
    private mutating func store(_ entry: FileEntry) {
        if entries.updateValue(entry, forKey: entry.path) == nil, entry.path != "/" {
            children[PathName.dirname(entry.path), default: []].append(entry.path)
        }
    }

    package func entry(at path: String) -> FileEntry? {
        entries[absolute(path, relativeTo: currentDirectory)]
    }

    package func isDirectory(followingLinksAt path: String) -> Bool {
        var path = absolute(path, relativeTo: currentDirectory)
        for _ in 0..<32 {
            guard let entry = entries[path] else { return false }
            switch entry.kind {
            case .directory: return true
            case .symlink(let target): path = PathName.resolve(target, against: PathName.dirname(path))
            default: return false
            }
        }
        return false
    }

    package func contentsOfDirectory(at path: String) throws(FileSystemError) -> [FileEntry] {
        let path = absolute(path, relativeTo: currentDirectory)
        guard entries[path]?.isDirectory == true || isDirectory(followingLinksAt: path) else {
            throw FileSystemError(path: path, reason: "not a directory")
        }
        return (children[path] ?? []).compactMap { entries[$0] }
    }

    package func readText(at path: String) throws(FileSystemError) -> String {
        let path = absolute(path, relativeTo: currentDirectory)
        guard let text = texts[path] else { throw FileSystemError(path: path, reason: "no such file") }
        return text
    }

    package func status(at path: String) -> FileStatus? {
        let path = absolute(path, relativeTo: currentDirectory)
        guard let entry = entries[path], entry.isFile else { return nil }
        let nanoseconds = Int64((entry.modificationTime * 1e9).rounded())
        return FileStatus(
            size: entry.size,
            modificationNanoseconds: nanoseconds,
            changeNanoseconds: nanoseconds,
            inode: inodes[path] ?? 0
        )
    }

    package func readChunks(at path: String, _ body: (UnsafeRawBufferPointer) -> Void) throws(FileSystemError) {
        let path = absolute(path, relativeTo: currentDirectory)
        guard let entry = entries[path], entry.isFile else {
            throw FileSystemError(path: path, reason: "no such file")
        }
        reads.paths.withLock { $0.append(path) }
        let bytes = texts[path].map { Array($0.utf8) } ?? [UInt8](repeating: 0, count: Int(entry.size))
        bytes.withUnsafeBytes { body($0) }
    }
}

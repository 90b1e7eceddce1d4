import InterlinkCore

/// A file system held in memory, for unit tests of parsers and the planner.
///
/// Build it with paths and contents; directories are created implicitly for every file's parents.
package struct InMemoryFileSystem: FileSystem {
    package var currentDirectory: String
    package var homeDirectory: String
    private var entries: [String: FileEntry] = [:]
    private var texts: [String: String] = [:]

    /// Creates an empty file system with `/` as its only directory.
    package init(currentDirectory: String = "/work", homeDirectory: String = "/home/user") {
        self.currentDirectory = currentDirectory
        self.homeDirectory = homeDirectory
        entries["/"] = FileEntry(path: "/", kind: .directory, permissions: 0o755)
        addDirectory(currentDirectory)
    }

    /// Adds a text file (and its parent directories).
    package mutating func addFile(_ path: String, contents: String = "", modificationTime: Double = 0) {
        let path = absolute(path, relativeTo: currentDirectory)
        addDirectory(PathName.dirname(path))
        entries[path] = FileEntry(
            path: path,
            kind: .file,
            size: Int64(contents.utf8.count),
            modificationTime: modificationTime
        )
        texts[path] = contents
    }

    /// Adds a file of a given size whose contents are never read as text.
    package mutating func addFile(_ path: String, size: Int64) {
        let path = absolute(path, relativeTo: currentDirectory)
        addDirectory(PathName.dirname(path))
        entries[path] = FileEntry(path: path, kind: .file, size: size)
    }

    /// Adds a directory (and its parents).
    package mutating func addDirectory(_ path: String) {
        var path = absolute(path, relativeTo: currentDirectory)
        while entries[path] == nil {
            entries[path] = FileEntry(path: path, kind: .directory, permissions: 0o755)
            path = PathName.dirname(path)
        }
    }

    /// Adds a symbolic link.
    package mutating func addSymlink(_ path: String, target: String) {
        let path = absolute(path, relativeTo: currentDirectory)
        addDirectory(PathName.dirname(path))
        entries[path] = FileEntry(path: path, kind: .symlink(target: target), permissions: 0o777)
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
        return entries.values.filter { $0.path != "/" && PathName.dirname($0.path) == path }
    }

    package func readText(at path: String) throws(FileSystemError) -> String {
        let path = absolute(path, relativeTo: currentDirectory)
        guard let text = texts[path] else { throw FileSystemError(path: path, reason: "no such file") }
        return text
    }
}

/// What a path is, as `lstat` sees it (symbolic links are not followed).
package struct FileEntry: Hashable, Sendable {
    /// The kind of file system object.
    package enum Kind: Hashable, Sendable {
        case file
        case directory
        case symlink(target: String)
        case other
    }

    /// The full path.
    package var path: String
    /// What it is.
    package var kind: Kind
    /// Size in bytes for regular files, 0 otherwise.
    package var size: Int64
    /// Permission bits (`0o644`).
    package var permissions: UInt32
    /// Modification time, seconds since 1970.
    package var modificationTime: Double

    /// Creates an entry.
    package init(path: String, kind: Kind, size: Int64 = 0, permissions: UInt32 = 0o644, modificationTime: Double = 0) {
        self.path = path
        self.kind = kind
        self.size = size
        self.permissions = permissions
        self.modificationTime = modificationTime
    }

    /// The last path component.
    package var name: String { PathName.basename(path) }

    /// Whether it is a regular file.
    package var isFile: Bool { kind == .file }

    /// Whether it is a directory (not a link to one).
    package var isDirectory: Bool { kind == .directory }
}

/// What `lstat` says about a file that tells whether its bytes may have changed, as git's index keeps it.
///
/// Two equal statuses of one path mean the file is very probably unchanged (see ``StatCache`` for when that is
/// not enough).
package struct FileStatus: Hashable, Sendable, Codable {
    /// Size in bytes.
    package var size: Int64
    /// Modification time, nanoseconds since 1970.
    package var modificationNanoseconds: Int64
    /// Status-change time (`ctime`), nanoseconds since 1970.
    package var changeNanoseconds: Int64
    /// The inode number (0 where the file system has none).
    package var inode: UInt64

    /// Creates a status.
    package init(size: Int64, modificationNanoseconds: Int64, changeNanoseconds: Int64, inode: UInt64) {
        self.size = size
        self.modificationNanoseconds = modificationNanoseconds
        self.changeNanoseconds = changeNanoseconds
        self.inode = inode
    }
}

/// A file-system failure, with the path it concerns.
package struct FileSystemError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The path concerned.
    package var path: String
    /// What went wrong, lowercase.
    package var reason: String

    /// Creates the error.
    package init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    package var description: String { "\(path): \(reason)" }
}

/// The read-only view of the file system that parsers and the planner need.
///
/// `InterlinkCore` does no I/O of its
/// own; the CLI passes the real file system and tests pass an in-memory one.
package protocol FileSystem: Sendable {
    /// The process's current directory (absolute).
    var currentDirectory: String { get }
    /// The user's home directory (absolute), for `~` expansion.
    var homeDirectory: String { get }
    /// What is at `path`, without following a final symbolic link; nil when nothing is there.
    func entry(at path: String) -> FileEntry?
    /// Whether `path` is a directory after following symbolic links.
    func isDirectory(followingLinksAt path: String) -> Bool
    /// The entries directly inside a directory, in no particular order.
    ///
    /// - Throws: `FileSystemError` when the directory cannot be read.
    func contentsOfDirectory(at path: String) throws(FileSystemError) -> [FileEntry]
    /// The entries directly inside a directory with the status of each regular file among them, in no particular
    /// order: one listing gives what ``contentsOfDirectory(at:)`` and ``status(at:)`` of every child give.
    ///
    /// - Throws: `FileSystemError` when the directory cannot be read.
    func contentsOfDirectoryWithStatus(at path: String) throws(FileSystemError) -> [ListedEntry]
    /// The contents of a text file, as UTF-8.
    ///
    /// - Throws: `FileSystemError` when the file cannot be read or is not UTF-8.
    func readText(at path: String) throws(FileSystemError) -> String
    /// The status of a regular file, without following a final symbolic link; nil when it is not a regular file.
    func status(at path: String) -> FileStatus?
    /// Reads a file's bytes in order, a bounded chunk at a time, handing each chunk to `body`.
    ///
    /// The file never sits whole in memory; the chunk is only valid during the call.
    ///
    /// - Parameters:
    ///   - path: The file.
    ///   - body: Called with each chunk, in order.
    /// - Throws: `FileSystemError` when the file cannot be opened or read.
    func readChunks(at path: String, _ body: (UnsafeRawBufferPointer) -> Void) throws(FileSystemError)
    /// Reads several files' bytes, each as ``readChunks(at:_:)`` does, handing `body` every chunk with the index of
    /// its file in `paths`: one file after another, each file's chunks in order.
    ///
    /// A file system may start the reads of all the files at once, which lets the disk merge the requests of
    /// small files stored side by side (one request for many files, where one file at a time makes one each).
    ///
    /// - Parameters:
    ///   - paths: The files.
    ///   - body: Called with each chunk and its file's index.
    /// - Returns: For each file, nil when it was read to its end, else the error ``readChunks(at:_:)`` throws for
    ///   it (after the chunks read before the error).
    func readChunks(ofFilesAt paths: [String], _ body: (Int, UnsafeRawBufferPointer) -> Void) -> [FileSystemError?]
    /// The path with every symbolic link in it resolved, as `realpath` gives it; the normalized absolute path
    /// when it cannot be resolved (it does not exist).
    func resolvingLinks(_ path: String) -> String
}

/// A directory's child as one listing gives it: what it is, and its status when it is a regular file.
package struct ListedEntry: Hashable, Sendable {
    /// What the child is.
    package var entry: FileEntry
    /// Its status; nil unless it is a regular file.
    package var status: FileStatus?

    /// Creates a listed entry.
    package init(entry: FileEntry, status: FileStatus?) {
        self.entry = entry
        self.status = status
    }
}

extension FileSystem {
    /// Reads the files one after another with ``readChunks(at:_:)``.
    ///
    /// - Parameters:
    ///   - paths: The files.
    ///   - body: Called with each chunk and its file's index.
    /// - Returns: For each file, nil when it was read to its end, else why not.
    package func readChunks(ofFilesAt paths: [String], _ body: (Int, UnsafeRawBufferPointer) -> Void)
        -> [FileSystemError?]
    {
        readChunksOneAtATime(ofFilesAt: paths, body)
    }

    /// Reads the files one after another with ``readChunks(at:_:)``: the default of ``readChunks(ofFilesAt:_:)``,
    /// and what a file system that batches its reads falls back to.
    ///
    /// - Parameters:
    ///   - paths: The files.
    ///   - body: Called with each chunk and its file's index.
    /// - Returns: For each file, nil when it was read to its end, else why not.
    package func readChunksOneAtATime(ofFilesAt paths: [String], _ body: (Int, UnsafeRawBufferPointer) -> Void)
        -> [FileSystemError?]
    {
        paths.indices.map { index in
            do throws(FileSystemError) {
                try readChunks(at: paths[index]) { body(index, $0) }
                return nil
            } catch {
                return error
            }
        }
    }

    /// The listing with each regular file's status asked for separately; a file system whose listing knows the
    /// status already (one `fstatat` per child) answers in one pass.
    ///
    /// - Parameter path: The directory.
    /// - Returns: Its children with their statuses.
    /// - Throws: `FileSystemError` when the directory cannot be read.
    package func contentsOfDirectoryWithStatus(at path: String) throws(FileSystemError) -> [ListedEntry] {
        try contentsOfDirectory(at: path).map { ListedEntry(entry: $0, status: $0.isFile ? status(at: $0.path) : nil) }
    }

    /// The normalized absolute path: a file system without symbolic links has nothing more to resolve.
    ///
    /// - Parameter path: A path, relative to the current directory or absolute.
    /// - Returns: The normalized absolute path.
    package func resolvingLinks(_ path: String) -> String { PathName.resolve(path, against: currentDirectory) }

    /// Whether anything exists at `path`.
    package func exists(_ path: String) -> Bool { entry(at: path) != nil }

    /// Expands a leading `~` and resolves a relative path against `base`.
    package func absolute(_ path: String, relativeTo base: String) -> String {
        if path == "~" { return homeDirectory }
        if path.hasPrefix("~/") { return PathName.normalize(PathName.join(homeDirectory, String(path.dropFirst(2)))) }
        return PathName.resolve(path, against: base)
    }
}

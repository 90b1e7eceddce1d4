import Synchronization

/// A file system that asks another one about each path once and remembers the answer, so the CSV's directory
/// resolution, the validator, the planner and the archive manifest share one walk of every run directory.
///
/// A plan looks at each run directory several times (does it exist, is it a directory, where do its links lead,
/// what is in it, what is each file's status); through a snapshot each of these is one system call at most. A
/// directory listing also answers each file's status (one `fstatat` per child), a path under a missing directory
/// is missing without a call, and links are resolved one component at a time from the parent's answer. Listings
/// and file contents are not remembered: the planner lists each directory once and reads each file once.
///
/// The snapshot holds what it saw for its lifetime: make one per plan, not one per process. It may be used from
/// several threads at once.
package final class FileSystemSnapshot: FileSystem {
    /// The file system asked.
    package let base: any FileSystem
    package let currentDirectory: String
    package let homeDirectory: String
    /// What it has seen, split by path into shards with a lock each, so threads listing different directories
    /// seldom wait for one another (a single lock spun on by 8 threads cost a quarter of a plan's CPU time).
    ///
    /// The locks are shared for reads: every row's lookup reads its parent's entries, which stay in one shard.
    private let shards: [ReadMostlyLock<State>] = (0..<64).map { _ in ReadMostlyLock(State()) }

    /// The shard of a path: picked by a cheap hash of the path's last bytes (where sibling paths differ), not by
    /// the seeded `hashValue`, as the dictionary inside hashes the path again anyway.
    private func shard(of path: String) -> ReadMostlyLock<State> {
        var hash: UInt = 5381
        for byte in path.utf8.suffix(24) { hash = (hash &* 33) ^ UInt(byte) }
        return shards[Int(hash % UInt(shards.count))]
    }

    /// Reads the state of a path's shard.
    private func reading<T>(_ path: String, _ body: (borrowing State) -> T) -> T { shard(of: path).read(body) }

    /// Changes the state of a path's shard.
    private func writing(_ path: String, _ body: (inout State) -> Void) { shard(of: path).write(body) }

    /// What the snapshot has seen, by absolute normalized path.
    private struct State {
        /// `lstat` answers; a nil value is a path known to be missing.
        var entries: [String: FileEntry?] = [:]
        /// Statuses of regular files.
        var statuses: [String: FileStatus] = [:]
        /// `stat` answers for paths that are links.
        var followed: [String: Bool] = [:]
        /// Resolved paths.
        var resolved: [String: String] = [:]
    }

    /// Creates a snapshot of a file system.
    ///
    /// - Parameter base: The file system to ask; its current and home directories are the snapshot's.
    package init(of base: any FileSystem) {
        self.base = base
        currentDirectory = base.currentDirectory
        homeDirectory = base.homeDirectory
    }

    package func entry(at path: String) -> FileEntry? {
        let path = absolute(path, relativeTo: currentDirectory)
        if let known = reading(path, { $0.entries[path] }) { return known }
        let parent = PathName.dirname(path)
        let found: FileEntry?
        if parent == path {
            found = base.entry(at: path)
        } else {
            switch entry(at: parent)?.kind {
            case .directory?, .symlink?:
                found = base.entry(at: path)
            case .file?, .other?, nil:
                // Nothing is inside a missing directory or a file; not remembered, the parent answers again.
                return nil
            }
        }
        writing(path) { $0.entries[path] = .some(found) }
        return found
    }

    package func isDirectory(followingLinksAt path: String) -> Bool {
        let path = absolute(path, relativeTo: currentDirectory)
        switch entry(at: path)?.kind {
        case .directory: return true
        case .symlink:
            if let known = reading(path, { $0.followed[path] }) { return known }
            let answer = base.isDirectory(followingLinksAt: path)
            writing(path) { $0.followed[path] = answer }
            return answer
        case .file, .other, nil: return false
        }
    }

    package func contentsOfDirectory(at path: String) throws(FileSystemError) -> [FileEntry] {
        try contentsOfDirectoryWithStatus(at: path).map(\.entry)
    }

    package func contentsOfDirectoryWithStatus(at path: String) throws(FileSystemError) -> [ListedEntry] {
        let path = absolute(path, relativeTo: currentDirectory)
        let children = try base.contentsOfDirectoryWithStatus(at: path)
        // Only the files' statuses are kept (the plan asks for them next); what the children are is in the
        // listing the caller keeps, and remembering every entry would cost a 100,000-directory plan ~50 MiB.
        for child in children {
            guard let status = child.status else { continue }
            writing(child.entry.path) { $0.statuses[child.entry.path] = status }
        }
        return children
    }

    package func readText(at path: String) throws(FileSystemError) -> String { try base.readText(at: path) }

    package func status(at path: String) -> FileStatus? {
        let path = absolute(path, relativeTo: currentDirectory)
        let known = reading(path) { state -> (status: FileStatus?, entry: FileEntry??) in
            (state.statuses[path], state.entries[path])
        }
        if let status = known.status { return status }
        // Only regular files have a status: anything else known needs no call.
        if let entry = known.entry, entry?.isFile != true { return nil }
        guard let status = base.status(at: path) else { return nil }
        writing(path) { $0.statuses[path] = status }
        return status
    }

    package func readChunks(at path: String, _ body: (UnsafeRawBufferPointer) -> Void) throws(FileSystemError) {
        try base.readChunks(at: path, body)
    }

    package func readChunks(ofFilesAt paths: [String], _ body: (Int, UnsafeRawBufferPointer) -> Void)
        -> [FileSystemError?]
    {
        base.readChunks(ofFilesAt: paths, body)
    }

    /// The path with its links resolved, from its parent's resolved path when it is itself no link.
    ///
    /// `resolve(p) == resolve(dirname(p)) + "/" + basename(p)` holds for an existing path that is not a link (the
    /// path is normalized first), so the rows of a CSV that name directories side by side resolve their common
    /// parent once instead of walking it each time; anything else is asked of the underlying file system.
    package func resolvingLinks(_ path: String) -> String {
        resolvingLinks(absolute(path, relativeTo: currentDirectory), remembers: false)
    }

    /// Resolves an absolute path, remembering the answer when asked to: parents are asked again for each of
    /// their children, a path itself seldom twice.
    private func resolvingLinks(_ path: String, remembers: Bool) -> String {
        if let known = reading(path, { $0.resolved[path] }) { return known }
        let parent = PathName.dirname(path)
        let resolved: String
        switch entry(at: path)?.kind {
        case .directory?, .file?, .other?:
            resolved =
                parent == path
                ? base.resolvingLinks(path)
                : PathName.join(resolvingLinks(parent, remembers: true), PathName.basename(path))
        case .symlink?, nil:
            resolved = base.resolvingLinks(path)
        }
        if remembers { writing(path) { $0.resolved[path] = resolved } }
        return resolved
    }
}

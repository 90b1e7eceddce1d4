import InterlinkSystem

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Opens and creates paths below a root directory descriptor one component at a time, never following a symbolic
/// link.
struct DirectoryWalker {
    /// The extraction root.
    let root: Int32

    /// Opens (creating when asked) the directory at `components` below the root.
    ///
    /// - Returns: A descriptor the caller closes.
    /// - Throws: `TransferError` when a component is a symbolic link or not a directory.
    func openDirectory(_ components: some Collection<String>, create: Bool, entry: String) throws(TransferError)
        -> Int32
    {
        var current = dup(root)
        guard current >= 0 else { throw TransferError(path: entry, reason: .io(POSIX.lastError())) }
        for component in components {
            var next = openat(current, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if next < 0, errno == ENOENT, create {
                if mkdirat(current, component, 0o755) != 0, errno != EEXIST {
                    close(current)
                    throw TransferError(path: entry, reason: .io(POSIX.lastError()))
                }
                next = openat(current, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            }
            if next < 0 {
                let reason = describe(component, in: current, entry: entry)
                close(current)
                throw reason
            }
            close(current)
            current = next
        }
        return current
    }

    /// Creates a new regular file, replacing an existing regular file but never writing through a link.
    func createFile(_ name: String, in directory: Int32, mode: UInt32, entry: String) throws(TransferError) -> Int32 {
        let flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC
        let permissions = mode_t(mode & 0o777)
        var descriptor = openat(directory, name, flags, permissions)
        if descriptor < 0, errno == EEXIST {
            try removeExisting(name, in: directory, entry: entry)
            descriptor = openat(directory, name, flags, permissions)
        }
        guard descriptor >= 0 else { throw TransferError(path: entry, reason: .io(POSIX.lastError())) }
        _ = fchmod(descriptor, permissions)
        return descriptor
    }

    /// Removes a regular file or symbolic link at `name` so a member can take its place; refuses directories.
    func removeExisting(_ name: String, in directory: Int32, entry: String) throws(TransferError) {
        var info = stat()
        guard fstatat(directory, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return }
        switch info.st_mode & S_IFMT {
        case S_IFDIR:
            throw unsafe(entry, "a directory is in the way")
        case S_IFLNK, S_IFREG:
            guard unlinkat(directory, name, 0) == 0 else {
                throw TransferError(path: entry, reason: .io(POSIX.lastError()))
            }
        default:
            throw unsafe(entry, "a special file is in the way")
        }
    }

    private func describe(_ component: String, in directory: Int32, entry: String) -> TransferError {
        let code = errno
        var info = stat()
        if fstatat(directory, component, &info, AT_SYMLINK_NOFOLLOW) == 0 {
            if info.st_mode & S_IFMT == S_IFLNK {
                return unsafe(entry, "path goes through the symbolic link '\(component)'")
            }
            if info.st_mode & S_IFMT != S_IFDIR { return unsafe(entry, "'\(component)' is not a directory") }
        }
        return TransferError(path: entry, reason: .io(String(cString: strerror(code))))
    }
}

/// Decides whether a symbolic link resolves inside the extraction root, following the archive's own links and
/// links already on disk, as the kernel would.
struct LinkResolver {
    /// The archive's links, by normalized path.
    let archiveLinks: [String: String]
    /// The extraction root's path.
    let root: String

    /// Whether the link at `link` pointing at `target` stays inside the root.
    func staysInside(link: [String], target: String) -> Bool {
        var stack = Array(link.dropLast())
        var pending = Array(target.split(separator: "/", omittingEmptySubsequences: true).map(String.init).reversed())
        var hops = 0
        while let component = pending.popLast() {
            if component == "." { continue }
            if component == ".." {
                guard !stack.isEmpty else { return false }
                stack.removeLast()
                continue
            }
            stack.append(component)
            guard let next = linkTarget(stack.joined(separator: "/")) else { continue }
            hops += 1
            guard hops <= 40, !next.hasPrefix("/") else { return false }
            stack.removeLast()
            pending += next.split(separator: "/", omittingEmptySubsequences: true).map(String.init).reversed()
        }
        return true
    }

    private func linkTarget(_ path: String) -> String? {
        if let target = archiveLinks[path] { return target }
        var buffer = [CChar](repeating: 0, count: 4097)
        let count = readlink(root + "/" + path, &buffer, 4096)
        guard count >= 0 else { return nil }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

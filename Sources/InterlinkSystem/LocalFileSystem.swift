import CSystemCodecs
import Foundation
import InterlinkCore
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The real file system, read through `lstat`, `opendir` and Foundation.
package struct LocalFileSystem: FileSystem {
    package let currentDirectory: String
    package let homeDirectory: String
    /// Whether ``readChunks(ofFilesAt:_:)`` queues the first reads of its files together through io_uring (where
    /// the kernel allows it; else it reads one file at a time, as when this is false).
    package var batchesReads = true
    /// How many files ``readChunks(ofFilesAt:_:)`` has read the start of in a batch, in this process.
    package static let batchedReads = Atomic(0)

    /// Creates a view of the real file system from the process's current and home directories.
    package init() {
        currentDirectory = FileManager.default.currentDirectoryPath
        homeDirectory = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
    }

    /// Creates a view that resolves relative paths against `currentDirectory` instead of the process's own.
    package init(currentDirectory: String, homeDirectory: String? = nil) {
        self.currentDirectory = currentDirectory
        self.homeDirectory = homeDirectory ?? ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
    }

    package func entry(at path: String) -> FileEntry? {
        let path = absolute(path, relativeTo: currentDirectory)
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return Self.makeEntry(path: path, info: info)
    }

    package func resolvingLinks(_ path: String) -> String {
        let absolute = absolute(path, relativeTo: currentDirectory)
        guard let resolved = realpath(absolute, nil) else { return absolute }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    package func isDirectory(followingLinksAt path: String) -> Bool {
        var info = stat()
        guard stat(absolute(path, relativeTo: currentDirectory), &info) == 0 else { return false }
        return info.st_mode & S_IFMT == S_IFDIR
    }

    package func contentsOfDirectory(at path: String) throws(FileSystemError) -> [FileEntry] {
        try list(path, withStatus: false).map(\.entry)
    }

    package func contentsOfDirectoryWithStatus(at path: String) throws(FileSystemError) -> [ListedEntry] {
        try list(path, withStatus: true)
    }

    /// Reads a directory once: each child is `fstatat`-ed relative to the open directory (the kernel does not walk
    /// the whole path again for each child), and that one call gives both its entry and its status.
    private func list(_ path: String, withStatus: Bool) throws(FileSystemError) -> [ListedEntry] {
        let path = absolute(path, relativeTo: currentDirectory)
        guard let directory = opendir(path) else {
            throw FileSystemError(path: path, reason: String(cString: strerror(errno)))
        }
        defer { closedir(directory) }
        let descriptor = dirfd(directory)
        var entries: [ListedEntry] = []
        while let item = readdir(directory) {
            let listed = withUnsafeBytes(of: item.pointee.d_name) { raw -> ListedEntry? in
                let name = raw.prefix { $0 != 0 }
                // "." and "..": skipped without making a string of them.
                if name.count <= 2, name.allSatisfy({ $0 == UInt8(ascii: ".") }) { return nil }
                var info = stat()
                let found = raw.withMemoryRebound(to: CChar.self) { characters in
                    guard let characters = characters.baseAddress else { return false }
                    return fstatat(descriptor, characters, &info, AT_SYMLINK_NOFOLLOW) == 0
                }
                guard found else { return nil }  // vanished
                let child = PathName.join(path, String(decoding: name, as: UTF8.self))
                let isFile = info.st_mode & S_IFMT == S_IFREG
                return ListedEntry(
                    entry: Self.makeEntry(path: child, info: info),
                    status: withStatus && isFile ? FileStatus(info) : nil
                )
            }
            if let listed { entries.append(listed) }
        }
        return entries
    }

    package func readText(at path: String) throws(FileSystemError) -> String {
        let path = absolute(path, relativeTo: currentDirectory)
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let reason = entry(at: path) == nil ? "no such file" : "cannot be read"
            throw FileSystemError(path: path, reason: reason)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw FileSystemError(path: path, reason: "is not UTF-8 text")
        }
        return text
    }

    package func status(at path: String) -> FileStatus? {
        var info = stat()
        guard lstat(absolute(path, relativeTo: currentDirectory), &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            return nil
        }
        return FileStatus(info)
    }

    package func readChunks(at path: String, _ body: (UnsafeRawBufferPointer) -> Void) throws(FileSystemError) {
        let path = absolute(path, relativeTo: currentDirectory)
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileSystemError(path: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 18, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = read(descriptor, buffer.baseAddress, buffer.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw FileSystemError(path: path, reason: String(cString: strerror(errno)))
            }
            if count == 0 { return }
            body(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
        }
    }

    /// Reads the files in groups of up to 32: opens a group, reads the first 16 KiB of each with one io_uring
    /// submission (`il_read_heads`), then reads on from there one file at a time until each one's end.
    ///
    /// A cold plan reads thousands of small files; read one after another, each costs a disk request of its own
    /// (and, in a VM, an exit to the host to notify it); queued together, the block layer merges the requests of
    /// files stored side by side, as a freshly written tree's are. Where io_uring is not available, or for one
    /// file, the files are read one after another. Either way the chunks, their order and the errors are those
    /// of ``readChunks(at:_:)``.
    ///
    /// - Parameters:
    ///   - paths: The files.
    ///   - body: Called with each chunk and its file's index.
    /// - Returns: For each file, nil when it was read to its end, else why not.
    package func readChunks(ofFilesAt paths: [String], _ body: (Int, UnsafeRawBufferPointer) -> Void)
        -> [FileSystemError?]
    {
        guard batchesReads, paths.count > 1 else { return readChunksOneAtATime(ofFilesAt: paths, body) }
        var failures = [FileSystemError?](repeating: nil, count: paths.count)
        // Up to 32 files open at once per call, and no more than a 64th of the descriptors the process may open:
        // the fan-out's 16 threads at most hold a quarter of them (1,024, a common limit: 16 each).
        var limit = rlimit()
        let allowed = getrlimit(Self.openFilesResource, &limit) == 0 ? Int(clamping: limit.rlim_cur) : 1024
        let group = min(32, max(1, allowed / 64))
        let headBytes = 1 << 14
        // Mapped, not allocated: a megabyte from malloc stays in the heap arenas of the threads that used it (a cold
        // 10,000-row plan's peak RSS rose by 20 MiB); unmapped it goes back to the system at once.
        let headsSize = min(group, paths.count) * headBytes
        guard let mapped = mmap(nil, headsSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
            mapped != UnsafeMutableRawPointer(bitPattern: -1)
        else { return readChunksOneAtATime(ofFilesAt: paths, body) }
        defer { munmap(mapped, headsSize) }
        let heads = UnsafeMutableRawBufferPointer(start: mapped, count: headsSize)
        // For the bytes past a file's head, only when a file has more.
        var rest: UnsafeMutableRawBufferPointer?
        defer { rest?.deallocate() }
        var start = 0
        while start < paths.count {
            // Open up to a group; a file that finds no descriptor free (EMFILE, ENFILE) ends the group early and
            // starts the next one, after this group's descriptors are given back.
            var opened: [(index: Int, path: String, descriptor: Int32)] = []
            opened.reserveCapacity(min(group, paths.count - start))
            var next = start
            while next < paths.count, opened.count < group {
                let path = absolute(paths[next], relativeTo: currentDirectory)
                let descriptor = open(path, O_RDONLY | O_CLOEXEC)
                if descriptor < 0 {
                    if errno == EMFILE || errno == ENFILE { break }
                    failures[next] = FileSystemError(path: path, reason: String(cString: strerror(errno)))
                } else {
                    opened.append((next, path, descriptor))
                }
                next += 1
            }
            if next == start {
                // Not one descriptor free: read this file as one file alone is read (which reports it).
                let index = start
                failures[index] = readChunksOneAtATime(ofFilesAt: [paths[index]]) { body(index, $1) }[0]
                start += 1
                continue
            }
            start = next
            defer { for file in opened { close(file.descriptor) } }
            var results = [Int64](repeating: -Int64(EIO), count: opened.count)
            let descriptors = opened.map(\.descriptor)
            let batched = results.withUnsafeMutableBufferPointer { results in
                let bytes = heads.baseAddress?.assumingMemoryBound(to: UInt8.self)
                return il_read_heads(descriptors, descriptors.count, bytes, headBytes, results.baseAddress) == 0
            }
            if batched { Self.batchedReads.add(results.count { $0 >= 0 }, ordering: .relaxed) }
            for (slot, file) in opened.enumerated() {
                var offset: Int64 = 0
                // A failed batched read (or no batch) is read again from the start, which reports the error.
                if batched, results[slot] >= 0 {
                    if results[slot] == 0 { continue }
                    let head = slot * headBytes
                    body(file.index, UnsafeRawBufferPointer(rebasing: heads[head..<(head + Int(results[slot]))]))
                    offset = results[slot]
                }
                let buffer = rest ?? UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 18, alignment: 16)
                rest = buffer
                failures[file.index] = Self.readRest(of: file, from: offset, into: buffer) { body(file.index, $0) }
            }
        }
        return failures
    }

    /// `RLIMIT_NOFILE`, as each C library imports it.
    #if canImport(Glibc)
    private static let openFilesResource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
    private static let openFilesResource = RLIMIT_NOFILE
    #endif

    /// Reads an open file from `offset` to its end, chunk by chunk.
    private static func readRest(
        of file: (index: Int, path: String, descriptor: Int32),
        from offset: Int64,
        into buffer: UnsafeMutableRawBufferPointer,
        _ body: (UnsafeRawBufferPointer) -> Void
    ) -> FileSystemError? {
        var offset = offset
        while true {
            let count = pread(file.descriptor, buffer.baseAddress, buffer.count, off_t(offset))
            if count < 0 {
                if errno == EINTR { continue }
                return FileSystemError(path: file.path, reason: String(cString: strerror(errno)))
            }
            if count == 0 { return nil }
            body(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
            offset += Int64(count)
        }
    }

    private static func makeEntry(path: String, info: stat) -> FileEntry {
        let kind: FileEntry.Kind
        switch info.st_mode & S_IFMT {
        case S_IFREG: kind = .file
        case S_IFDIR: kind = .directory
        case S_IFLNK: kind = .symlink(target: readLink(path))
        default: kind = .other
        }
        #if canImport(Darwin)
        let seconds = Double(info.st_mtimespec.tv_sec) + Double(info.st_mtimespec.tv_nsec) / 1e9
        #else
        let seconds = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
        #endif
        return FileEntry(
            path: path,
            kind: kind,
            size: kind == .file ? Int64(info.st_size) : 0,
            permissions: UInt32(info.st_mode) & 0o7777,
            modificationTime: seconds
        )
    }

    private static func readLink(_ path: String) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { return "" }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

extension FileStatus {
    /// The status `stat`, `lstat` or `fstat` gave: size, modification and change times (ns) and inode.
    ///
    /// - Parameter info: What the call filled in.
    package init(_ info: stat) {
        #if canImport(Darwin)
        let (modified, changed) = (info.st_mtimespec, info.st_ctimespec)
        #else
        let (modified, changed) = (info.st_mtim, info.st_ctim)
        #endif
        self.init(
            size: Int64(info.st_size),
            modificationNanoseconds: Int64(modified.tv_sec) * 1_000_000_000 + Int64(modified.tv_nsec),
            changeNanoseconds: Int64(changed.tv_sec) * 1_000_000_000 + Int64(changed.tv_nsec),
            inode: UInt64(info.st_ino)
        )
    }
}

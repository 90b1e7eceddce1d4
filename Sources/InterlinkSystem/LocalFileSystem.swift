import Foundation
import InterlinkCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The real file system, read through `lstat`, `opendir` and Foundation.
package struct LocalFileSystem: FileSystem {
    package let currentDirectory: String
    package let homeDirectory: String

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
        let path = absolute(path, relativeTo: currentDirectory)
        guard let directory = opendir(path) else {
            throw FileSystemError(path: path, reason: String(cString: strerror(errno)))
        }
        defer { closedir(directory) }
        var entries: [FileEntry] = []
        while let item = readdir(directory) {
            let name = withUnsafeBytes(of: item.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name != ".", name != ".." else { continue }
            let child = PathName.join(path, name)
            var info = stat()
            // Relative to the open directory: the kernel does not walk the whole path again for each child.
            guard fstatat(dirfd(directory), name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { continue }  // vanished
            entries.append(Self.makeEntry(path: child, info: info))
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
        #if canImport(Darwin)
        let (modified, changed) = (info.st_mtimespec, info.st_ctimespec)
        #else
        let (modified, changed) = (info.st_mtim, info.st_ctim)
        #endif
        return FileStatus(
            size: Int64(info.st_size),
            modificationNanoseconds: Int64(modified.tv_sec) * 1_000_000_000 + Int64(modified.tv_nsec),
            changeNanoseconds: Int64(changed.tv_sec) * 1_000_000_000 + Int64(changed.tv_nsec),
            inode: UInt64(info.st_ino)
        )
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

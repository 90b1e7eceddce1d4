import InterlinkSystem

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams one plain file (a shared input uploaded as it is), checking it keeps the size it had when opened.
package final class FileSource: ByteSource {
    /// The file's path.
    package let path: String
    /// The size `fstat` reported when the file was opened.
    package let size: Int64
    private var descriptor: Int32
    private var consumed: Int64 = 0

    /// Opens a regular file without following a final symbolic link.
    ///
    /// - Throws: `TransferError` when it cannot be opened or is not a regular file.
    package init(path: String) throws(TransferError) {
        self.path = path
        descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else { throw TransferError(path: path, reason: .io(POSIX.lastError())) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            close(descriptor)
            throw TransferError(path: path, reason: .io("not a regular file"))
        }
        size = Int64(info.st_size)
        adviseSequential(descriptor)
    }

    /// Opens a regular file positioned at `offset`, to regenerate a part from its checkpoint.
    ///
    /// - Parameters:
    ///   - path: The file.
    ///   - offset: Where reading starts, at most the file's size.
    /// - Throws: `TransferError` when it cannot be opened, is not a regular file, or is now shorter than `offset`.
    package convenience init(path: String, offset: Int64) throws(TransferError) {
        try self.init(path: path)
        guard offset <= size, lseek(descriptor, off_t(offset), SEEK_SET) == off_t(offset) else {
            throw TransferError(path: path, reason: .fileChanged(expected: size, actual: offset))
        }
        consumed = offset
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    package func read(into buffer: UnsafeMutableRawBufferPointer) throws(TransferError) -> Int {
        guard descriptor >= 0, !buffer.isEmpty else { return 0 }
        let count = POSIX.read(descriptor, buffer.baseAddress, buffer.count)
        guard count >= 0 else { throw TransferError(path: path, reason: .io(POSIX.lastError())) }
        consumed += Int64(count)
        if consumed > size { throw TransferError(path: path, reason: .fileChanged(expected: size, actual: consumed)) }
        if count == 0 {
            close(descriptor)
            descriptor = -1
            if consumed != size {
                throw TransferError(path: path, reason: .fileChanged(expected: size, actual: consumed))
            }
        }
        return count
    }
}

/// Tells the kernel a file is read from start to end, so it reads ahead further (`POSIX_FADV_SEQUENTIAL`); a hint
/// only, ignored where the call does not exist.
///
/// - Parameter descriptor: An open file descriptor.
func adviseSequential(_ descriptor: Int32) {
    #if os(Linux)
    _ = posix_fadvise(descriptor, 0, 0, POSIX_FADV_SEQUENTIAL)
    #endif
}

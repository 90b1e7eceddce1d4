import InterlinkSystem

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a pipeline's bytes go when they are not uploaded: a local archive file, a pipe, memory in tests.
package protocol ByteSink: AnyObject {
    /// Writes all of `bytes`.
    ///
    /// - Throws: `TransferError` on I/O failure.
    func write(_ bytes: UnsafeRawBufferPointer) throws(TransferError)
}

extension ByteSource {
    /// Copies the rest of the stream into `sink` through one buffer.
    ///
    /// - Parameters:
    ///   - sink: The destination.
    ///   - bufferSize: The buffer size in bytes.
    /// - Returns: The number of bytes copied.
    /// - Throws: What the source or the sink throws.
    @discardableResult
    package func copy(to sink: any ByteSink, bufferSize: Int = 1 << 20) throws(TransferError) -> Int64 {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferSize, alignment: 64)
        defer { buffer.deallocate() }
        var total: Int64 = 0
        while true {
            let count = try readFully(into: buffer)
            if count == 0 { return total }
            try sink.write(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
            total += Int64(count)
        }
    }
}

/// A new file written sequentially; ``close()`` fsyncs it and reports any deferred write error (a checked close,
/// so a full disk or an I/O error is never lost).
package final class FileSink: ByteSink {
    /// The file's path.
    package let path: String
    private var descriptor: Int32

    /// Creates the file, refusing to follow a symbolic link or to replace an existing file.
    ///
    /// - Throws: `TransferError` when it cannot be created.
    package init(creating path: String, mode: UInt32 = 0o644) throws(TransferError) {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode_t(mode))
        guard descriptor >= 0 else { throw TransferError(path: path, reason: .io(POSIX.lastError())) }
    }

    deinit { if descriptor >= 0 { POSIX.close(descriptor) } }

    package func write(_ bytes: UnsafeRawBufferPointer) throws(TransferError) {
        guard descriptor >= 0, POSIX.writeAll(descriptor, bytes) else {
            throw TransferError(path: path, reason: .io(descriptor >= 0 ? POSIX.lastError() : "already closed"))
        }
    }

    /// Flushes the file to disk and closes it.
    ///
    /// - Throws: `TransferError` when `fsync` or `close` fails.
    package func close() throws(TransferError) {
        guard descriptor >= 0 else { return }
        let synced = fsync(descriptor) == 0
        let closed = POSIX.close(descriptor) == 0
        descriptor = -1
        guard synced, closed else { throw TransferError(path: path, reason: .io(POSIX.lastError())) }
    }
}

import CSystemCodecs
import InterlinkSystem
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One upload part kept in an unlinked temporary file instead of memory, for a stream whose parts' lengths are
/// known only once each is produced (a compressed archive).
///
/// A request needs its part's length before the body, and only the last part is shorter than S; when the stream's
/// size is unknown, the part is produced into the spool first, then read back a chunk at a time into its request.
/// Memory stays one chunk whatever S is; the bytes go through the page cache. The file has no name (it is unlinked
/// as soon as it is made), so nothing is left behind, even when the process is killed.
///
/// Calls block (file I/O): make them from the blocking executor (``BlockingExecutor``), as the producer's emitter
/// and ``read(at:into:)``'s callers do.
package final class PartSpool: Sendable {
    private let descriptor: Int32
    private let state = Mutex<(count: Int, failure: String?)>((0, nil))

    /// Creates an empty spool in `directory` (`TMPDIR`, else `/tmp`).
    ///
    /// - Parameter directory: Where the unnamed file lives, or nil for the default.
    /// - Throws: `TransferError` with reason `.io` when the file cannot be made.
    package init(directory: String? = nil) throws(TransferError) {
        let base = directory ?? Self.defaultDirectory
        var template = Array((base + "/interlink-part-XXXXXX").utf8CString)
        let opened = template.withUnsafeMutableBufferPointer { name in name.baseAddress.map { mkstemp($0) } ?? -1 }
        guard opened >= 0 else { throw TransferError(path: base, reason: .io(POSIX.lastError())) }
        template.withUnsafeBufferPointer { name in _ = name.baseAddress.map { unlink($0) } }
        descriptor = opened
    }

    deinit { _ = POSIX.close(descriptor) }

    /// `TMPDIR` when set and not empty, else `/tmp`.
    private static var defaultDirectory: String {
        guard let value = getenv("TMPDIR").map({ String(cString: $0) }), !value.isEmpty else { return "/tmp" }
        return value
    }

    /// The bytes written since the last ``reset()``.
    package var count: Int { state.withLock { $0.count } }

    /// Empties the spool for the next part (the file keeps its pages for reuse).
    package func reset() { state.withLock { $0 = (0, nil) } }

    /// Appends bytes; a failure is kept and thrown by ``check(path:)`` (the producer's emitter cannot throw).
    ///
    /// - Parameter bytes: The next bytes of the part.
    package func append(_ bytes: UnsafeRawBufferPointer) {
        let offset = state.withLock { $0.failure == nil ? $0.count : -1 }
        guard offset >= 0 else { return }
        guard il_pwrite_all(descriptor, bytes.baseAddress, bytes.count, Int64(offset)) == 0 else {
            let failure = POSIX.lastError()
            state.withLock { $0.failure = failure }
            return
        }
        state.withLock { $0.count += bytes.count }
    }

    /// Throws the first write failure since the last ``reset()``.
    ///
    /// - Parameter path: What the part belongs to, for the error.
    /// - Throws: `TransferError` with reason `.io`.
    package func check(path: String) throws(TransferError) {
        if let failure = state.withLock({ $0.failure }) {
            throw TransferError(path: path, reason: .io("cannot spool an upload part: \(failure)"))
        }
    }

    /// Reads spooled bytes from `offset` into `buffer`, as many as fit and were written.
    ///
    /// - Parameters:
    ///   - offset: Where to start, from the part's first byte.
    ///   - buffer: Receives the bytes from its start.
    /// - Returns: The bytes read (0 at the end of the part).
    /// - Throws: `TransferError` with reason `.io` when the read fails.
    package func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(TransferError) -> Int {
        let wanted = min(buffer.count, max(0, count - offset))
        var done = 0
        while done < wanted {
            let got = pread(descriptor, buffer.baseAddress.map { $0 + done }, wanted - done, off_t(offset + done))
            if got < 0, errno == EINTR { continue }
            guard got > 0 else {
                throw TransferError(path: "upload part spool", reason: .io(got < 0 ? POSIX.lastError() : "short read"))
            }
            done += got
        }
        return done
    }
}

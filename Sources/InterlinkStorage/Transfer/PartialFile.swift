import CSystemCodecs
import InterlinkCrypto
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The temporary sibling `<dest>.partial` a download writes, renamed into place only when complete and verified.
///
/// Ranges are written at their offsets with `pwrite` (several at once, through ``writer``), each starting its
/// writeback at once; ``noteWritten(through:)`` records the prefix written without a gap and ``synchronize()`` makes
/// it durable before a checkpoint claims it. The file is preallocated when the final size is known, and truncated to
/// the written length at the end.
package final class PartialFile {
    /// The destination path the file becomes.
    package let destination: String
    /// The temporary path, `<destination>.partial` (see ``partialPath(for:)``).
    package let path: String
    /// The bytes written so far, all durable after ``synchronize()``.
    package private(set) var length: Int64
    private let descriptor: Int32

    /// Opens or creates `<destination>.partial`, keeping exactly `keepingPrefix` existing bytes.
    ///
    /// - Parameters:
    ///   - destination: The final path.
    ///   - keepingPrefix: The verified prefix to keep from an earlier attempt; 0 starts over.
    ///   - preallocate: The expected final size, if known, reserved up front.
    /// - Throws: ``StorageError`` with the errno when the file cannot be opened or resized, or when it is shorter
    ///   than the prefix to keep.
    package init(destination: String, keepingPrefix: Int64, preallocate: Int64?) throws {
        self.destination = destination
        self.path = Self.partialPath(for: destination)
        let flags = O_RDWR | O_CREAT | (keepingPrefix == 0 ? O_TRUNC : 0)
        let descriptor = open(path, flags, 0o644)
        guard descriptor >= 0 else { throw StorageError(.localFile(path: path, errno: errno), operation: "open") }
        self.descriptor = descriptor
        self.length = keepingPrefix
        var status = stat()
        guard fstat(descriptor, &status) == 0, Int64(status.st_size) >= keepingPrefix else {
            close(descriptor)
            throw StorageError(.checkpointMismatch("'\(path)' is shorter than the checkpoint"), operation: "resume")
        }
        if let preallocate, preallocate > keepingPrefix {
            #if canImport(Glibc)
            _ = posix_fallocate(descriptor, 0, off_t(preallocate))
            #endif
        }
    }

    deinit { close(descriptor) }

    /// The temporary sibling of `destination`: `<destination>.partial`, or, when that name would pass the file
    /// system's 255-byte limit, `.partial-<16 hex of the name's SHA-256>` in the same directory (the same for every
    /// attempt, so a resumed download finds it).
    ///
    /// - Parameter destination: The final path.
    /// - Returns: The temporary path.
    package static func partialPath(for destination: String) -> String {
        let slash = destination.utf8.lastIndex(of: UInt8(ascii: "/"))
        let name = slash.map { destination.utf8[destination.utf8.index(after: $0)...] } ?? destination.utf8[...]
        guard name.count + ".partial".utf8.count > 255 else { return destination + ".partial" }
        let hex = SHA256.hash(data: Array(name)).prefix(8).map { byte in
            byte < 16 ? "0" + String(byte, radix: 16) : String(byte, radix: 16)
        }
        let directory = slash.map { String(destination[..<$0]) + "/" } ?? ""
        return directory + ".partial-" + hex.joined()
    }

    /// Writes at given offsets from other tasks while the file is open: what ``ConcurrentDownloader`` hands to the
    /// child tasks that write consumed ranges.
    package struct Writer: Sendable {
        fileprivate let descriptor: Int32
        fileprivate let path: String

        /// Writes `bytes` at `offset` with `pwrite` and starts their writeback without waiting.
        ///
        /// The early writeback lets the disk work while the next ranges arrive: the periodic
        /// ``PartialFile/synchronize()`` then waits for the last few pages instead of every byte since the previous
        /// one (a 1 GiB download spent most of its time in those waits). Only that sync makes the bytes durable.
        ///
        /// - Parameters:
        ///   - bytes: The bytes.
        ///   - offset: Where they go; writes at distinct offsets may run at once.
        /// - Throws: ``StorageError`` with the errno on a failed write.
        package func write(_ bytes: ByteBuffer, at offset: Int64) throws {
            let status = bytes.withUnsafeReadableBytes { buffer in
                il_pwrite_all(descriptor, buffer.baseAddress, buffer.count, offset)
            }
            guard status == 0 else { throw StorageError(.localFile(path: path, errno: errno), operation: "write") }
            // Advice only: a write-back error shows again, and fails, at the next fsync.
            _ = il_start_writeback(descriptor, offset, Int64(bytes.readableBytes))
        }
    }

    /// A writer for this file's descriptor; use it only while the file is open (within the file's lifetime).
    package var writer: Writer { Writer(descriptor: descriptor, path: path) }

    /// Records that every byte before `end` is written (by ``writer``), so ``commit()`` keeps them.
    ///
    /// - Parameter end: The end of the written prefix; never below the current length.
    package func noteWritten(through end: Int64) {
        precondition(end >= length, "the written prefix only grows")
        length = end
    }

    /// Flushes written bytes to disk.
    package func synchronize() throws {
        guard fsync(descriptor) == 0 else {
            throw StorageError(.localFile(path: path, errno: errno), operation: "fsync")
        }
    }

    /// Truncates to the written length, flushes, and renames onto the destination.
    package func commit() throws {
        guard ftruncate(descriptor, off_t(length)) == 0 else {
            throw StorageError(.localFile(path: path, errno: errno), operation: "truncate")
        }
        try synchronize()
        guard rename(path, destination) == 0 else {
            throw StorageError(.localFile(path: destination, errno: errno), operation: "rename")
        }
    }
}

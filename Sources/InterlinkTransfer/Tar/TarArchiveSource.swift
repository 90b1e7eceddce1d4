import InterlinkCore
import InterlinkSystem

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams the tar archive of a manifest.
///
/// It yields headers, file data read in place from disk, padding, and the two zero blocks that end the archive. Memory use is one header at a time; file data goes straight into the reader's
/// buffer.
///
/// Each file is opened with `O_NOFOLLOW` and must yield exactly the manifest's size: a file that grew or shrank
/// since the manifest was built fails with `TransferError.Reason.fileChanged`.
package final class TarArchiveSource: ByteSource {
    private let entries: [ArchiveManifest.Entry]
    private var index = 0
    /// Header, padding or trailer bytes not yet handed out.
    private var pending: [UInt8] = []
    private var pendingOffset = 0
    /// The open file whose data is being streamed, and how many bytes of it are left.
    private var descriptor: Int32 = -1
    private var remaining: Int64 = 0
    private var padAfterFile = 0
    private var finished = false

    /// Creates the stream of a manifest's archive.
    package init(manifest: ArchiveManifest) { entries = manifest.entries }

    deinit { if descriptor >= 0 { close(descriptor) } }

    /// The exact size of the archive this source produces, in bytes.
    package static func archiveSize(of manifest: ArchiveManifest) -> Int64 {
        var total: Int64 = 2 * Int64(TarHeaderEncoder.blockSize)
        for entry in manifest.entries {
            total += Int64(TarHeaderEncoder.headerSize(for: entry))
            total += entry.size + Int64(TarHeaderEncoder.padding(entry.size))
        }
        return total
    }

    package func read(into buffer: UnsafeMutableRawBufferPointer) throws(TransferError) -> Int {
        var written = 0
        while written < buffer.count {
            if pendingOffset < pending.count {
                let count = min(buffer.count - written, pending.count - pendingOffset)
                pending.withUnsafeBytes { bytes in
                    UnsafeMutableRawBufferPointer(rebasing: buffer[written..<written + count])
                        .copyMemory(
                            from: UnsafeRawBufferPointer(rebasing: bytes[pendingOffset..<pendingOffset + count])
                        )
                }
                pendingOffset += count
                written += count
            } else if descriptor != -1 {
                written += try readFileData(into: UnsafeMutableRawBufferPointer(rebasing: buffer[written...]))
            } else if !advance() {
                break
            }
        }
        return written
    }

    /// Queues the next header (and opens its file), or the trailer; false once everything was handed out.
    private func advance() -> Bool {
        guard !finished else { return false }
        pendingOffset = 0
        guard index < entries.count else {
            pending = [UInt8](repeating: 0, count: 2 * TarHeaderEncoder.blockSize)
            finished = true
            return true
        }
        let entry = entries[index]
        index += 1
        pending = TarHeaderEncoder.headerBlocks(for: entry)
        if entry.kind == .file {
            remaining = entry.size
            padAfterFile = TarHeaderEncoder.padding(entry.size)
            descriptor = -2  // opened lazily on the first data read, so errors surface from read(into:)
            openPath = entry.sourcePath
            expectedSize = entry.size
        }
        return true
    }

    private var openPath = ""
    private var expectedSize: Int64 = 0

    private func readFileData(into buffer: UnsafeMutableRawBufferPointer) throws(TransferError) -> Int {
        if descriptor == -2 {
            let opened = open(openPath, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
            guard opened >= 0 else { throw TransferError(path: openPath, reason: .io(POSIX.lastError())) }
            descriptor = opened
            if expectedSize >= 1 << 20 { adviseSequential(opened) }
        }
        if remaining == 0 {
            // One more read proves the file did not grow.
            var probe: UInt8 = 0
            let extra = POSIX.read(descriptor, &probe, 1)
            close(descriptor)
            descriptor = -1
            if extra > 0 {
                throw TransferError(
                    path: openPath,
                    reason: .fileChanged(expected: expectedSize, actual: expectedSize + 1)
                )
            }
            pending = [UInt8](repeating: 0, count: padAfterFile)
            pendingOffset = 0
            return 0
        }
        let wanted = Int(min(Int64(buffer.count), remaining))
        let count = POSIX.read(descriptor, buffer.baseAddress, wanted)
        guard count >= 0 else { throw TransferError(path: openPath, reason: .io(POSIX.lastError())) }
        guard count > 0 else {
            throw TransferError(
                path: openPath,
                reason: .fileChanged(expected: expectedSize, actual: expectedSize - remaining)
            )
        }
        remaining -= Int64(count)
        return count
    }
}

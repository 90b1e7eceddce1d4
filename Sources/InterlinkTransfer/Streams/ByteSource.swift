/// A pull-based stream of bytes: tar output, a compressor, a plain file, or memory.
///
/// Sources are classes because they own file descriptors and C stream states that `deinit` releases. They are not
/// `Sendable`: one task drives a pipeline at a time.
package protocol ByteSource: AnyObject {
    /// Reads up to `buffer.count` bytes into `buffer`.
    ///
    /// - Parameter buffer: Where to put the bytes.
    /// - Returns: The number of bytes written; 0 only at the end of the stream (or for an empty `buffer`).
    /// - Throws: `TransferError` on I/O, format or consistency failures.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(TransferError) -> Int
}

extension ByteSource {
    /// Reads until `buffer` is full or the stream ends.
    ///
    /// - Returns: The bytes written; less than `buffer.count` only at the end of the stream.
    /// - Throws: What ``read(into:)`` throws.
    package func readFully(into buffer: UnsafeMutableRawBufferPointer) throws(TransferError) -> Int {
        var filled = 0
        while filled < buffer.count {
            let count = try read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
            if count == 0 { break }
            filled += count
        }
        return filled
    }

    /// Reads the whole rest of the stream into memory; for tests and small metadata only.
    ///
    /// - Parameter chunkSize: The read granule in bytes.
    /// - Returns: Every remaining byte.
    /// - Throws: What ``read(into:)`` throws.
    package func readAll(chunkSize: Int = 1 << 16) throws(TransferError) -> [UInt8] {
        var result: [UInt8] = []
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { chunk.deallocate() }
        while true {
            let count = try read(into: chunk)
            if count == 0 { return result }
            result.append(contentsOf: chunk[..<count])
        }
    }
}

/// A source over bytes already in memory.
package final class MemorySource: ByteSource {
    private let bytes: [UInt8]
    private var offset = 0

    /// Creates a source that yields `bytes` once.
    package init(_ bytes: [UInt8]) { self.bytes = bytes }

    package func read(into buffer: UnsafeMutableRawBufferPointer) throws(TransferError) -> Int {
        let count = min(buffer.count, bytes.count - offset)
        guard count > 0 else { return 0 }
        bytes.withUnsafeBytes { source in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset..<offset + count]))
        }
        offset += count
        return count
    }
}

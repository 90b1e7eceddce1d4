import InterlinkHTTP
import Logging
import NIOCore

/// Downloads an object with concurrent ranged reads into `<dest>.partial`, feeding an in-order consumer through a
/// bounded reorder window, and renames the file into place once complete and verified.
package struct ConcurrentDownloader: Sendable {
    /// The store to read from.
    package var store: any ObjectStore
    /// The most range reads in flight, W.
    package var window: Int
    /// The most ranges fetched or in flight ahead of the consume cursor; default 2 × W, memory ≈ this × S.
    package var readAhead: Int
    /// The most bytes written between two syncs of `<dest>.partial` (each followed by a checkpoint); 0 syncs after
    /// every range.
    ///
    /// An fsync waits for the disk: one after every range held the in-order writer on the disk's write rate while the
    /// ranges read ahead sat in memory. Syncing every few ranges is a group commit: the reads go on meanwhile and a
    /// checkpoint still never claims a byte that is not durable.
    package var syncInterval: Int64
    /// Where progress is logged at `.debug`.
    package var logger: Logger

    /// The most consumed ranges being written at once into a preallocated file: two keep the in-order consumer and
    /// a write (or two writes) busy on separate cores without holding more than the read-ahead's memory.
    ///
    /// A file that is not preallocated gets one write at a time, in order: its length after an interruption is then
    /// always the end of a written prefix (no hole before it), which is what a caller that resumes from the length
    /// (the Rescale path) relies on. A preallocated file is full length from the start, so its callers resume from
    /// their checkpoints, and ranges may land out of order.
    static let parallelWrites = 2

    /// What a child task of a download reports: a range read, or a consumed range's output written at its offset.
    private enum RangeEvent: Sendable {
        case fetched(Int, ByteBuffer)
        case written(Int, Int64)
    }

    /// The default ``syncInterval``: 64 MiB.
    package static let defaultSyncInterval: Int64 = 64 << 20

    /// Creates a downloader.
    package init(
        store: any ObjectStore,
        window: Int,
        readAhead: Int? = nil,
        syncInterval: Int64 = ConcurrentDownloader.defaultSyncInterval,
        logger: Logger
    ) {
        precondition(window >= 1, "window must be positive")
        self.store = store
        self.window = window
        self.readAhead = max(readAhead ?? 2 * window, window)
        self.syncInterval = max(0, syncInterval)
        self.logger = logger
    }

    /// Downloads `start.key` from range `start.rangesDone` on, keeping the first `start.bytesWritten` bytes of an
    /// existing `<destination>.partial`.
    ///
    /// - Parameters:
    ///   - start: A fresh checkpoint (0 ranges done) or one read back from the journal.
    ///   - destination: The final path; only the `.partial` sibling is written until the end.
    ///   - consumer: Sees every remaining range in order; its output is written right after the previous one's.
    ///   - expectedOutputSize: The final size if known (such as `decryptedSize`), to preallocate; then ranges may
    ///     be written out of order, and only the checkpoints say what is written (see ``parallelWrites``).
    ///   - checkpoint: Called once ranges are consumed, written and synced: after the range that brings the bytes
    ///     written since the last sync to ``syncInterval`` or more, and after the last range.
    ///   - verify: Checks the complete `.partial` file (size, SHA-512) before the rename; throwing keeps it.
    /// - Returns: The final checkpoint.
    /// - Throws: ``StorageError`` from reads and file writes, the consumer's or verifier's errors, or
    ///   `CancellationError`; `<destination>.partial` keeps the prefix the last checkpoint describes.
    package func download<Consumer: RangeConsumer>(
        _ start: DownloadCheckpoint,
        to destination: String,
        consumer: inout Consumer,
        expectedOutputSize: Int64? = nil,
        checkpoint: (DownloadCheckpoint) async throws -> Void = { _ in },
        verify: (String) async throws -> Void = { _ in }
    ) async throws -> DownloadCheckpoint {
        precondition(start.rangeSize > 0 && start.rangeSize % 16 == 0, "range size is a positive multiple of 16")
        let file = try PartialFile(
            destination: destination,
            keepingPrefix: start.bytesWritten,
            preallocate: expectedOutputSize
        )
        var state = start
        let count = start.rangeCount
        let store = self.store
        let key = start.key
        let syncInterval = self.syncInterval
        let writer = file.writer
        let writesInFlight = expectedOutputSize == nil ? 1 : Self.parallelWrites
        var synced = file.length
        // Range bodies are collected into the buffers of ranges already written (see BufferPool): one fresh buffer
        // per range in flight, reused for the whole download, instead of fresh memory for every range.
        let bodies = BufferPool(depth: writesInFlight + 2)
        try await withThrowingTaskGroup(of: RangeEvent.self) { group in
            var nextToFetch = state.rangesDone
            var nextToConsume = state.rangesDone
            var fetched: [Int: ByteBuffer] = [:]
            var inFlight = 0
            // Ranges consumed and being written, and the end offset each one's output reaches.
            var writing = 0
            var writtenEnds: [Int: Int64] = [:]
            var writeOffset = file.length
            func launch() {
                // Counted from the first range not yet written: fetched, consumed and writing ranges all hold memory.
                while inFlight < window, nextToFetch < count, nextToFetch < state.rangesDone + readAhead {
                    let index = nextToFetch
                    let bounds = state.bounds(of: index)
                    group.addTask {
                        guard let bounds else { return .fetched(index, ByteBuffer()) }
                        // Only the reads collect into the pool's buffers.
                        let bytes = try await BufferPool.$responseBodies.withValue(bodies) {
                            try await store.read(key, range: bounds)
                        }
                        return .fetched(index, bytes)
                    }
                    nextToFetch += 1
                    inFlight += 1
                }
            }
            launch()
            while state.rangesDone < count, let event = try await group.next() {
                switch event {
                case .fetched(let index, let bytes):
                    inFlight -= 1
                    fetched[index] = bytes
                case .written(let index, let end):
                    writing -= 1
                    writtenEnds[index] = end
                    // Ranges complete in order only: a checkpoint never claims a byte before an unwritten one.
                    while let end = writtenEnds.removeValue(forKey: state.rangesDone) {
                        state.rangesDone += 1
                        state.bytesWritten = end
                        file.noteWritten(through: end)
                        guard end - synced >= syncInterval || state.rangesDone == count else { continue }
                        try file.synchronize()
                        synced = end
                        try await checkpoint(state)
                    }
                }
                // The consumer runs in order while earlier outputs are still being written: decrypting and hashing
                // one range overlaps the page-cache copy of the one before (and, into a preallocated file, the
                // copies of two ranges run on separate threads).
                while writing < writesInFlight, var next = fetched.removeValue(forKey: nextToConsume) {
                    let index = nextToConsume
                    let output = try await consumer.consume(&next, isLast: index == count - 1)
                    let offset = writeOffset
                    writeOffset += Int64(output.readableBytes)
                    group.addTask {
                        try writer.write(output, at: offset)
                        bodies.give(output)
                        return .written(index, offset + Int64(output.readableBytes))
                    }
                    nextToConsume += 1
                    writing += 1
                }
                launch()
            }
        }
        try await verify(file.path)
        try file.commit()
        logger.debug("storage.download.done", metadata: ["storage.key": "\(key)", "storage.bytes": "\(file.length)"])
        return state
    }
}

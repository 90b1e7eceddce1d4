import CSystemCodecs
import Foundation
import InterlinkHTTP
import InterlinkTestSupport
import NIOCore
import Synchronization
import Testing

@testable import InterlinkStorage

/// How many reads a ``MemoryObjectStore`` answered, and how many of them into a recycled buffer.
final class ReadTally: Sendable {
    let counts = Mutex((reads: 0, recycled: 0))
}

/// A store holding one object in memory; only `read` and `properties` are used.
///
/// Its reads fill a buffer of the task's ``BufferPool/responseBodies`` when there is one, as the HTTP client's
/// `collect` does, and count in ``tally``.
struct MemoryObjectStore: ObjectStore {
    var bytes: [UInt8]
    var tally = ReadTally()
    func createUpload(of key: ObjectKey, metadata: ObjectMetadata) async throws -> UploadSession {
        UploadSession(key: key, uploadID: "u", metadata: metadata)
    }
    func uploadPart(_ part: UploadPart, in session: UploadSession) async throws -> CompletedPart {
        CompletedPart(number: part.number, tag: "t", size: Int64(part.bytes.readableBytes))
    }
    func completeUpload(_ session: UploadSession, parts: [CompletedPart], totalBytes: Int64) async throws {}
    func abortUpload(_ session: UploadSession) async throws {}
    func listParts(of session: UploadSession) async throws -> [CompletedPart] { [] }
    func putObject(_ bytes: ByteBuffer, at key: ObjectKey, metadata: ObjectMetadata) async throws {}
    func properties(of key: ObjectKey) async throws -> ObjectProperties {
        ObjectProperties(size: Int64(bytes.count), metadata: .init(), etag: nil)
    }
    func read(_ key: ObjectKey, range: ClosedRange<Int64>) async throws -> ByteBuffer {
        let spare = BufferPool.responseBodies?.take(capacity: Int(range.upperBound - range.lowerBound + 1))
        tally.counts.withLock { $0 = (reads: $0.reads + 1, recycled: $0.recycled + (spare == nil ? 0 : 1)) }
        var body = spare ?? ByteBuffer()
        body.writeBytes(bytes[Int(range.lowerBound)...Int(range.upperBound)])
        return body
    }
}

@Suite struct DownloadSyncTests {
    @Test func writebackStartsOnAWrittenFileAndRefusesABadDescriptor() throws {
        // What `PartialFile.append` asks after each range: on Linux the kernel takes it (0), and a descriptor that
        // is open nowhere (-1: a closed one's number may be reused at once by a test running beside this one) is
        // refused (EBADF), so the call is really made rather than compiled away.
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("written.bin").path
        let descriptor = open(path, O_RDWR | O_CREAT, 0o644)
        #expect(descriptor >= 0)
        let bytes = [UInt8](repeating: 7, count: 1 << 16)
        #expect(bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) } == bytes.count)
        #expect(il_start_writeback(descriptor, 0, Int64(bytes.count)) == 0)
        close(descriptor)
        #if os(Linux)
        errno = 0
        #expect(il_start_writeback(-1, 0, Int64(bytes.count)) == -1)
        #expect(errno == EBADF)
        #endif
    }

    /// `il_pwrite_all`, the one write loop of `PartialFile`, `PartSpool` and LocalCloud's parts: a buffer lands whole
    /// at its offset (the gap before it reads as zeros), and a descriptor not open for writing is refused with its
    /// errno (a read-only one: a closed one's number may be reused at once by a test running beside this one).
    @Test func wholeBuffersLandAtTheirOffsetAndABadDescriptorIsRefused() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("written.bin").path
        let descriptor = open(path, O_RDWR | O_CREAT, 0o644)
        #expect(descriptor >= 0)
        let bytes = patternBytes(count: 3 << 20, seed: 3)
        #expect(bytes.withUnsafeBytes { il_pwrite_all(descriptor, $0.baseAddress, $0.count, 4096) } == 0)
        close(descriptor)
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: path))) == [UInt8](repeating: 0, count: 4096) + bytes)
        let readOnly = open(path, O_RDONLY)
        #expect(readOnly >= 0)
        defer { close(readOnly) }
        errno = 0
        #expect(bytes.withUnsafeBytes { il_pwrite_all(readOnly, $0.baseAddress, $0.count, 0) } == -1)
        #expect(errno == EBADF)
    }

    /// A temporary directory, the destination in it and a fresh checkpoint for an object of `size` bytes.
    static func fresh(size: Int, rangeSize: Int64) throws -> (URL, String, DownloadCheckpoint) {
        let directory = try makeTemporaryDirectory()
        let start = DownloadCheckpoint(
            key: ObjectKey("k"),
            objectSize: Int64(size),
            etag: nil,
            rangeSize: rangeSize,
            rangesDone: 0,
            bytesWritten: 0
        )
        return (directory, directory.appendingPathComponent("out.bin").path, start)
    }

    /// Runs one download of 10 ranges of 32 bytes (the last one 5 bytes) into a file that is not preallocated and
    /// returns each checkpoint with whether the `.partial` file held exactly the prefix it claims, no more and no
    /// less, when it was made.
    func checkpoints(syncInterval: Int64) async throws -> [(DownloadCheckpoint, Bool)] {
        let bytes = patternBytes(count: 9 * 32 + 5, seed: 7)
        let (directory, destination, start) = try Self.fresh(size: bytes.count, rangeSize: 32)
        defer { try? FileManager.default.removeItem(at: directory) }
        let seen = Mutex<[(DownloadCheckpoint, Bool)]>([])
        var consumer = PlainBytesConsumer()
        let downloader = ConcurrentDownloader(
            store: MemoryObjectStore(bytes: bytes),
            window: 2,
            syncInterval: syncInterval,
            logger: quietLogger
        )
        let final = try await downloader.download(
            start,
            to: destination,
            consumer: &consumer,
            checkpoint: { state in
                // Not preallocated: one write at a time, so the file is exactly the claimed prefix (a resume from
                // its length never keeps a hole).
                let written = Array(try Data(contentsOf: URL(fileURLWithPath: destination + ".partial")))
                let claimed = Int(state.bytesWritten)
                let holds = written.count == claimed && written.elementsEqual(bytes[..<claimed])
                seen.withLock { $0.append((state, holds)) }
            }
        )
        #expect(final.rangesDone == 10 && final.bytesWritten == Int64(bytes.count))
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: destination))) == bytes)
        return seen.withLock { $0 }
    }

    /// With an interval of three ranges the file is synced and checkpointed after ranges 3, 6 and 9 and after the
    /// last, each checkpoint claiming exactly what the file holds; with 0, after every range.
    @Test func checkpointsComeEverySyncIntervalAndAtTheEnd() async throws {
        let grouped = try await checkpoints(syncInterval: 3 * 32)
        #expect(grouped.map(\.0.rangesDone) == [3, 6, 9, 10])
        #expect(grouped.map(\.0.bytesWritten) == [96, 192, 288, 293])
        #expect(grouped.allSatisfy { $0.1 })
        let every = try await checkpoints(syncInterval: 0)
        #expect(every.map(\.0.rangesDone) == Array(1...10))
        #expect(every.allSatisfy { $0.1 })
    }

    /// Ranges whose reads finish in reverse order, a consumer that transforms in place, and a file preallocated to
    /// its final size (two writes at once): the output is the transformed object in order, and every checkpoint
    /// claims only the prefix already written (the writes of later ranges may run ahead, never the claim).
    @Test func outOfOrderReadsAndInPlaceOutputsLandAtTheirOffsets() async throws {
        struct ReversedStore: ObjectStore {
            var inner: MemoryObjectStore
            let rangeSize: Int64
            func createUpload(of key: ObjectKey, metadata: ObjectMetadata) async throws -> UploadSession {
                try await inner.createUpload(of: key, metadata: metadata)
            }
            func uploadPart(_ part: UploadPart, in session: UploadSession) async throws -> CompletedPart {
                try await inner.uploadPart(part, in: session)
            }
            func completeUpload(_ session: UploadSession, parts: [CompletedPart], totalBytes: Int64) async throws {}
            func abortUpload(_ session: UploadSession) async throws {}
            func listParts(of session: UploadSession) async throws -> [CompletedPart] { [] }
            func putObject(_ bytes: ByteBuffer, at key: ObjectKey, metadata: ObjectMetadata) async throws {}
            func properties(of key: ObjectKey) async throws -> ObjectProperties { try await inner.properties(of: key) }
            func read(_ key: ObjectKey, range: ClosedRange<Int64>) async throws -> ByteBuffer {
                // Earlier ranges wait longer, so within a window the reads complete last to first.
                let index = range.lowerBound / rangeSize
                try await Task.sleep(for: .milliseconds(max(0, 40 - 10 * Int(index % 4))))
                return try await inner.read(key, range: range)
            }
        }
        /// Checks each range arrives whole and in order, then adds one to every byte where it is.
        struct IncrementingConsumer: RangeConsumer {
            let source: [UInt8]
            var offset = 0
            var inOrder = true
            mutating func consume(_ bytes: inout ByteBuffer, isLast: Bool) async throws -> ByteBuffer {
                let start = offset
                let expected = source[start..<min(source.count, start + bytes.readableBytes)]
                inOrder = inOrder && bytes.readableBytesView.elementsEqual(expected)
                bytes.withUnsafeMutableReadableBytes { buffer in
                    for index in buffer.indices { buffer[index] &+= 1 }
                }
                offset += bytes.readableBytes
                return bytes
            }
        }
        let bytes = patternBytes(count: 16 * 64 + 48, seed: 11)
        let (directory, destination, start) = try Self.fresh(size: bytes.count, rangeSize: 64)
        defer { try? FileManager.default.removeItem(at: directory) }
        let transformed = bytes.map { $0 &+ 1 }
        let claims = Mutex<[Bool]>([])
        var consumer = IncrementingConsumer(source: bytes)
        let final = try await ConcurrentDownloader(
            store: ReversedStore(inner: MemoryObjectStore(bytes: bytes), rangeSize: 64),
            window: 4,
            syncInterval: 0,
            logger: quietLogger
        )
        .download(
            start,
            to: destination,
            consumer: &consumer,
            expectedOutputSize: Int64(bytes.count),
            checkpoint: { state in
                let written = Array(try Data(contentsOf: URL(fileURLWithPath: destination + ".partial")))
                let claimed = Int(state.bytesWritten)
                claims.withLock { $0.append(written[..<claimed].elementsEqual(transformed[..<claimed])) }
            }
        )
        #expect(final.rangesDone == 17 && final.bytesWritten == Int64(bytes.count))
        #expect(consumer.inOrder && consumer.offset == bytes.count)
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: destination))) == transformed)
        #expect(claims.withLock { $0 } == Array(repeating: true, count: 17))
    }
}

@Suite struct DownloadBufferReuseTests {
    /// A download hands each written range's buffer back for a later range's body, and the file is still exactly
    /// the object (into a file preallocated or not).
    @Test(arguments: [nil, Int64(20 << 16)])
    func writtenRangesBuffersCarryLaterRanges(preallocated: Int64?) async throws {
        let size = 20 << 16
        let bytes = patternBytes(count: size, seed: 11)
        let (directory, destination, start) = try DownloadSyncTests.fresh(size: size, rangeSize: 1 << 16)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = MemoryObjectStore(bytes: bytes)
        let downloader = ConcurrentDownloader(store: store, window: 2, syncInterval: 1 << 18, logger: quietLogger)
        var consumer = PlainBytesConsumer()
        _ = try await downloader.download(
            start,
            to: destination,
            consumer: &consumer,
            expectedOutputSize: preallocated.map { _ in Int64(size) }
        )
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: destination))) == bytes)
        let (reads, recycled) = store.tally.counts.withLock { $0 }
        // Every range but those read ahead and in flight before the first written one came back gets the buffer of
        // an earlier range (read-ahead 4, two writes at once): without the hand-back, none does.
        #expect(reads == 20)
        #expect(recycled >= 20 - 6)
    }
}

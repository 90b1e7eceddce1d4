import InterlinkTestSupport
import NIOCore
import Synchronization
import Testing

@testable import InterlinkStorage

/// A store whose listing is scripted; every other call is unused.
struct ListingStore: ObjectStore {
    var listed: [CompletedPart]
    func createUpload(of key: ObjectKey, metadata: ObjectMetadata) async throws -> UploadSession {
        UploadSession(key: key, uploadID: "u", metadata: metadata)
    }
    func uploadPart(_ part: UploadPart, in session: UploadSession) async throws -> CompletedPart {
        CompletedPart(number: part.number, tag: "t\(part.number)", size: Int64(part.bytes.readableBytes))
    }
    func completeUpload(_ session: UploadSession, parts: [CompletedPart], totalBytes: Int64) async throws {
        _ = try validatedParts(parts, totalBytes: totalBytes, operation: "complete")
    }
    func abortUpload(_ session: UploadSession) async throws {}
    func listParts(of session: UploadSession) async throws -> [CompletedPart] { listed }
    func putObject(_ bytes: ByteBuffer, at key: ObjectKey, metadata: ObjectMetadata) async throws {}
    func properties(of key: ObjectKey) async throws -> ObjectProperties {
        ObjectProperties(size: 0, metadata: .init(), etag: nil)
    }
    func read(_ key: ObjectKey, range: ClosedRange<Int64>) async throws -> ByteBuffer { ByteBuffer() }
}

@Suite struct UploadReconcileTests {
    @Test func trustsOnlyPartsJournaledAndListedWithTheSameTag() async throws {
        let session = UploadSession(key: ObjectKey("k"), uploadID: "u", metadata: ObjectMetadata())
        let journaled = MultipartCheckpoint(
            session: session,
            partSize: 4,
            completedParts: [
                CompletedPart(number: 1, tag: "\"a\"", size: 4), CompletedPart(number: 2, tag: "\"b\"", size: 4),
                CompletedPart(number: 3, tag: "\"c\"", size: 4),
            ]
        )
        let store = ListingStore(listed: [
            CompletedPart(number: 1, tag: "\"a\"", size: 4), CompletedPart(number: 2, tag: "\"other\"", size: 4),
            CompletedPart(number: 3, tag: "\"c\"", size: 4), CompletedPart(number: 4, tag: "\"d\"", size: 4),
        ])
        let reconciled = try await ConcurrentUploader(store: store, window: 2, logger: quietLogger).reconcile(journaled)
        #expect(reconciled.completedParts.map(\.number) == [1, 3])
        #expect(reconciled.resumePartNumber == 2)
    }

    @Test func rejectsGapsAndWrongTotalsBeforeCompleting() throws {
        let store = ListingStore(listed: [])
        let gap = [CompletedPart(number: 1, tag: "a", size: 4), CompletedPart(number: 3, tag: "c", size: 4)]
        #expect(throws: StorageError.self) { try store.validatedParts(gap, totalBytes: 8, operation: "x") }
        let whole = [CompletedPart(number: 2, tag: "b", size: 1), CompletedPart(number: 1, tag: "a", size: 4)]
        #expect(try store.validatedParts(whole, totalBytes: 5, operation: "x").map(\.number) == [1, 2])
        #expect(throws: StorageError.self) { try store.validatedParts(whole, totalBytes: 6, operation: "x") }
    }

    @Test func uploadsWithABoundedWindowAndSkipsPartsTheServerHolds() async throws {
        let session = UploadSession(key: ObjectKey("k"), uploadID: "u", metadata: ObjectMetadata())
        let start = MultipartCheckpoint(
            session: session,
            partSize: 4,
            completedParts: [
                CompletedPart(number: 1, tag: "t1", size: 4), CompletedPart(number: 3, tag: "t3", size: 4),
            ]
        )
        let bytes = patternBytes(count: 18, seed: 9)
        let final = try await ConcurrentUploader(store: ListingStore(listed: []), window: 2, logger: quietLogger)
            .upload(
                continuing: start,
                from: BufferPartSource(bytes: bytes, partSize: 4, firstPartNumber: start.resumePartNumber),
                expectedBytes: 18,
                checkpoint: { _ in }
            )
        #expect(final.completedParts.map(\.number) == [1, 2, 3, 4, 5])
        #expect(final.completedBytes == 18)
    }
}

/// A store that keeps a copy of every part's bytes as it was when uploaded.
final class RecordingStore: ObjectStore {
    private let parts = Mutex<[Int: [UInt8]]>([:])

    var received: [Int: [UInt8]] { parts.withLock { $0 } }

    func createUpload(of key: ObjectKey, metadata: ObjectMetadata) async throws -> UploadSession {
        UploadSession(key: key, uploadID: "u", metadata: metadata)
    }
    func uploadPart(_ part: UploadPart, in session: UploadSession) async throws -> CompletedPart {
        try await Task.sleep(for: .milliseconds(Int.random(in: 0...3)))
        let bytes = Array(part.bytes.readableBytesView)
        parts.withLock { $0[part.number] = bytes }
        return CompletedPart(number: part.number, tag: "t\(part.number)", size: Int64(bytes.count))
    }
    func completeUpload(_ session: UploadSession, parts: [CompletedPart], totalBytes: Int64) async throws {
        _ = try validatedParts(parts, totalBytes: totalBytes, operation: "complete")
    }
    func abortUpload(_ session: UploadSession) async throws {}
    func listParts(of session: UploadSession) async throws -> [CompletedPart] { [] }
    func putObject(_ bytes: ByteBuffer, at key: ObjectKey, metadata: ObjectMetadata) async throws {}
    func properties(of key: ObjectKey) async throws -> ObjectProperties {
        ObjectProperties(size: 0, metadata: .init(), etag: nil)
    }
    func read(_ key: ObjectKey, range: ClosedRange<Int64>) async throws -> ByteBuffer { ByteBuffer() }
}

/// A count shared between a source's copies.
final class Counter: Sendable {
    let value = Mutex(0)
}

/// Fills each part with its number, writing into the spare buffer when the uploader hands one back.
struct CountingSource: UploadPartSource {
    let parts: Int
    let partSize: Int
    let allocations: Counter
    var next = 1

    mutating func nextPart() async throws -> UploadPart? { try await nextPart(reusing: nil) }

    mutating func nextPart(reusing spare: ByteBuffer?) async throws -> UploadPart? {
        guard next <= parts else { return nil }
        var buffer: ByteBuffer
        if let spare {
            buffer = spare
            buffer.clear()
        } else {
            allocations.value.withLock { $0 += 1 }
            buffer = ByteBufferAllocator().buffer(capacity: partSize)
        }
        buffer.writeRepeatingByte(UInt8(next), count: partSize)
        defer { next += 1 }
        return UploadPart(number: next, bytes: buffer)
    }
}

@Suite struct UploadBufferReuseTests {
    @Test(arguments: [1, 3, 4])
    func aSteadyUploadCyclesThroughAtMostWindowPlusTwoBuffers(window: Int) async throws {
        let store = RecordingStore()
        let allocations = Counter()
        let source = CountingSource(parts: 40, partSize: 64, allocations: allocations)
        let final = try await ConcurrentUploader(store: store, window: window, logger: quietLogger).upload(
            to: ObjectKey("k"),
            metadata: ObjectMetadata(),
            partSize: 64,
            from: source,
            expectedBytes: 40 * 64
        )
        #expect(final.completedParts.count == 40)
        #expect(allocations.value.withLock { $0 } <= window + 2)
        // Reuse never changed a part's bytes before the store had them.
        let received = store.received
        #expect(received.count == 40)
        for number in 1...40 { #expect(received[number] == [UInt8](repeating: UInt8(number), count: 64)) }
    }
}

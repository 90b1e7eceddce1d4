import NIOCore
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
        let journaled = UploadCheckpoint(
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
        let start = UploadCheckpoint(
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

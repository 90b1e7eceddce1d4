import Foundation
import InterlinkTestSupport
import NIOCore
import Testing

@testable import InterlinkStorage

/// The transfer scenarios every store must pass: the same code drives S3 (moto) and Azure (the fake server).
struct TransferMatrix {
    /// Builds a fresh client each call, as a restarted process would.
    let makeStore: @Sendable () -> any ObjectStore
    let partSize: Int

    func uniqueKey(_ name: String) -> ObjectKey {
        ObjectKey("runs/\(UUID().uuidString)/\(name) ü.tar-q3ZkT0aLm9XcVb2nRw8YpE")
    }

    func singlePutHeadAndRangedRead() async throws {
        let store = makeStore()
        let key = uniqueKey("single")
        let bytes = patternBytes(count: 1000, seed: 1)
        try await store.putObject(ByteBuffer(bytes: bytes), at: key, metadata: ObjectMetadata([("iv", "AAAA")]))
        let properties = try await store.properties(of: key)
        #expect(properties.size == 1000)
        #expect(properties.metadata["IV"] == "AAAA")
        let range = try await store.read(key, range: 100...199)
        #expect(Array(range.readableBytesView) == Array(bytes[100...199]))
    }

    func multipartWithSeveralParts() async throws {
        let store = makeStore()
        let key = uniqueKey("multi")
        let bytes = patternBytes(count: partSize * 3 + 123, seed: 2)
        let metadata = ObjectMetadata.streaming(iv: "oKGio6SlpqeoqaqrrK2urw==", partSize: partSize)
        let checkpoints = Recorder<MultipartCheckpoint>()
        let final = try await ConcurrentUploader(store: store, window: 3, logger: quietLogger).upload(
            to: key,
            metadata: metadata,
            partSize: partSize,
            from: BufferPartSource(bytes: bytes, partSize: partSize),
            expectedBytes: Int64(bytes.count),
            checkpoint: { await checkpoints.append($0) }
        )
        #expect(final.completedParts.map(\.number) == [1, 2, 3, 4])
        #expect(await checkpoints.values.count == 5)
        let properties = try await store.properties(of: key)
        #expect(properties.size == Int64(bytes.count))
        #expect(properties.metadata["streamingFormat"] == "cbc")
        #expect(properties.metadata["partsize"] == String(partSize))
        #expect(properties.metadata["iv"] == "oKGio6SlpqeoqaqrrK2urw==")
        #expect(try await download(key, size: properties.size) == bytes)
    }

    func refusesToCompleteWithMissingBytes() async throws {
        let store = makeStore()
        let key = uniqueKey("short")
        let bytes = patternBytes(count: partSize + 10, seed: 3)
        let error = await #expect(throws: StorageError.self) {
            _ = try await ConcurrentUploader(store: store, window: 2, logger: quietLogger).upload(
                to: key,
                metadata: ObjectMetadata(),
                partSize: partSize,
                from: BufferPartSource(bytes: bytes, partSize: partSize),
                expectedBytes: Int64(bytes.count + 16)
            )
        }
        #expect(error?.reason == .byteCountMismatch(expected: Int64(bytes.count + 16), actual: Int64(bytes.count)))
        await #expect(throws: StorageError.self) { _ = try await store.properties(of: key) }
    }

    func downloadsToPartialThenRenames(_ key: ObjectKey, size: Int64) async throws -> [UInt8] {
        try await download(key, size: size)
    }

    func download(_ key: ObjectKey, size: Int64) async throws -> [UInt8] {
        let directory = try makeTemporaryDirectory()
        let destination = directory.appendingPathComponent("out.bin").path
        var consumer = PlainBytesConsumer()
        let start = DownloadCheckpoint(
            key: key,
            objectSize: size,
            etag: nil,
            rangeSize: Int64(partSize / 2),
            rangesDone: 0,
            bytesWritten: 0
        )
        _ = try await ConcurrentDownloader(store: makeStore(), window: 3, logger: quietLogger).download(
            start,
            to: destination,
            consumer: &consumer,
            expectedOutputSize: size,
            verify: { path in
                let attributes = try FileManager.default.attributesOfItem(atPath: path)
                #expect((attributes[.size] as? NSNumber)?.int64Value == size)
            }
        )
        #expect(!FileManager.default.fileExists(atPath: destination + ".partial"))
        return Array(try Data(contentsOf: URL(fileURLWithPath: destination)))
    }
}

/// Collects values from concurrent callbacks.
actor Recorder<Value: Sendable> {
    private(set) var values: [Value] = []
    func append(_ value: Value) { values.append(value) }
}

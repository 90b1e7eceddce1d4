import Foundation
import InterlinkTestSupport
import NIOCore
import Testing

@testable import InterlinkStorage

/// Yields the first `limit` parts of an inner source, then hangs until cancelled: a process killed half way.
struct StallingSource: UploadPartSource {
    var inner: BufferPartSource
    var limit: Int
    var produced = 0

    mutating func nextPart() async throws -> UploadPart? {
        if produced == limit { try await Task.sleep(for: .seconds(3600)) }
        produced += 1
        return try await inner.nextPart()
    }
}

/// Passes ranges through, but hangs on range `stallAt` until cancelled.
struct StallingConsumer: RangeConsumer {
    var stallAt: Int
    var seen = 0

    mutating func consume(_ bytes: inout ByteBuffer, isLast: Bool) async throws -> ByteBuffer {
        if seen == stallAt { try await Task.sleep(for: .seconds(3600)) }
        seen += 1
        return bytes
    }
}

/// Writes a Codable value to a file with an atomic rename, as the journal's side files are.
func persist(_ value: some Encodable, to url: URL) throws {
    try JSONEncoder().encode(value).write(to: url, options: .atomic)
}

extension TransferMatrix {
    /// An upload whose source fails half way is aborted; returns the session so callers can probe the server.
    func abortsOnFailure() async throws -> UploadSession {
        struct SourceFailed: Error {}
        struct FailingSource: UploadPartSource {
            var inner: BufferPartSource
            var left = 2
            mutating func nextPart() async throws -> UploadPart? {
                guard left > 0 else { throw SourceFailed() }
                left -= 1
                return try await inner.nextPart()
            }
        }
        let key = uniqueKey("abort")
        let sessions = Recorder<UploadSession>()
        let bytes = patternBytes(count: partSize * 4, seed: 4)
        await #expect(throws: SourceFailed.self) {
            _ = try await ConcurrentUploader(store: makeStore(), window: 2, failurePolicy: .abort, logger: quietLogger)
                .upload(
                    to: key,
                    metadata: ObjectMetadata(),
                    partSize: partSize,
                    from: FailingSource(inner: BufferPartSource(bytes: bytes, partSize: partSize)),
                    checkpoint: { await sessions.append($0.session) }
                )
        }
        await #expect(throws: StorageError.self) { _ = try await makeStore().properties(of: key) }
        return try #require(await sessions.values.first)
    }

    /// Cancels an upload after three parts, reloads the checkpoint file with a fresh client, resumes, and compares.
    func resumesAnUploadCancelledHalfWay() async throws {
        let directory = try makeTemporaryDirectory()
        let journal = directory.appendingPathComponent("upload.json")
        let key = uniqueKey("resume")
        let bytes = patternBytes(count: partSize * 5 + 77, seed: 5)
        let metadata = ObjectMetadata.streaming(iv: "oKGio6SlpqeoqaqrrK2urw==", partSize: partSize)
        let store = makeStore()
        let outcome = try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                _ = try await ConcurrentUploader(
                    store: store,
                    window: 3,
                    failurePolicy: .keepForResume,
                    logger: quietLogger
                )
                .upload(
                    to: key,
                    metadata: metadata,
                    partSize: partSize,
                    from: StallingSource(inner: BufferPartSource(bytes: bytes, partSize: partSize), limit: 3),
                    checkpoint: { try persist($0, to: journal) }
                )
                return true
            }
            while (try? JSONDecoder().decode(MultipartCheckpoint.self, from: Data(contentsOf: journal)))?.completedParts
                .count
                ?? 0 < 3
            {
                try await Task.sleep(for: .milliseconds(10))
            }
            group.cancelAll()
            let finished = await group.nextResult()
            if case .success = finished { return true }
            return false
        }
        #expect(outcome == false, "the first upload must not finish")

        let journaled = try JSONDecoder().decode(MultipartCheckpoint.self, from: Data(contentsOf: journal))
        let fresh = makeStore()
        let listed = try await fresh.listParts(of: journaled.session)
        #expect(listed.map(\.number).sorted() == [1, 2, 3])
        let starts = Recorder<Int>()
        let final = try await ConcurrentUploader(store: fresh, window: 3, logger: quietLogger).resume(
            from: journaled,
            makeSource: { first in
                await starts.append(first)
                return BufferPartSource(bytes: bytes, partSize: partSize, firstPartNumber: first)
            },
            expectedBytes: Int64(bytes.count)
        )
        #expect(await starts.values == [4])
        #expect(final.completedParts.map(\.number) == [1, 2, 3, 4, 5, 6])
        #expect(try await download(key, size: Int64(bytes.count)) == bytes)
    }

    /// Cancels a download after three ranges, resumes from the checkpoint file with a fresh client, and compares.
    func resumesADownloadCancelledHalfWay() async throws {
        let key = uniqueKey("download")
        let bytes = patternBytes(count: partSize * 3 + 5, seed: 6)
        _ = try await ConcurrentUploader(store: makeStore(), window: 2, logger: quietLogger).upload(
            to: key,
            metadata: ObjectMetadata(),
            partSize: partSize,
            from: BufferPartSource(bytes: bytes, partSize: partSize)
        )
        let directory = try makeTemporaryDirectory()
        let destination = directory.appendingPathComponent("result.bin").path
        let journal = directory.appendingPathComponent("download.json")
        let rangeSize = Int64(partSize / 2)
        let start = DownloadCheckpoint(
            key: key,
            objectSize: Int64(bytes.count),
            etag: nil,
            rangeSize: rangeSize,
            rangesDone: 0,
            bytesWritten: 0
        )
        let store = makeStore()
        await #expect(throws: CancellationError.self) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    var consumer = StallingConsumer(stallAt: 3)
                    let downloader = ConcurrentDownloader(store: store, window: 3, syncInterval: 0, logger: quietLogger)
                    _ = try await downloader.download(
                        start,
                        to: destination,
                        consumer: &consumer,
                        checkpoint: { try persist($0, to: journal) }
                    )
                }
                while (try? JSONDecoder().decode(DownloadCheckpoint.self, from: Data(contentsOf: journal)))?.rangesDone
                    ?? 0 < 3
                {
                    try await Task.sleep(for: .milliseconds(10))
                }
                group.cancelAll()
                try await group.waitForAll()
            }
        }
        let journaled = try JSONDecoder().decode(DownloadCheckpoint.self, from: Data(contentsOf: journal))
        #expect(journaled.rangesDone == 3 && journaled.bytesWritten == 3 * rangeSize)
        #expect(!FileManager.default.fileExists(atPath: destination))
        let prefix = try Data(contentsOf: URL(fileURLWithPath: destination + ".partial")).prefix(
            Int(journaled.bytesWritten)
        )
        #expect(Array(prefix) == Array(bytes.prefix(Int(journaled.bytesWritten))))

        var consumer = PlainBytesConsumer()
        let final = try await ConcurrentDownloader(store: makeStore(), window: 3, logger: quietLogger).download(
            journaled,
            to: destination,
            consumer: &consumer
        )
        #expect(final.rangesDone == journaled.rangeCount)
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: destination))) == bytes)
    }
}

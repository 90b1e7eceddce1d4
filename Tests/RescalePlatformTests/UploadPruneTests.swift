import Foundation
import InterlinkCore
import InterlinkTestSupport
import RescaleSim
import Testing

@testable import RescalePlatform

/// An interrupted upload whose file then changes can never be resumed (its checkpoint's name is made from the
/// file's size and modification time): the next upload's pruning removes its checkpoint, with the data key in it,
/// and aborts its multipart upload in the emulator's S3, whose parts would otherwise stay in storage.
@Suite(.tags(.integration)) struct UploadPruneTests {
    static let apiKey = "upload-prune-key-0001"

    @Test func aChangedFilesCheckpointIsRemovedAndItsMultipartUploadAborted() async throws {
        let server = SimServer(configuration: SimConfiguration(users: [.init(apiKey: Self.apiKey)]))
        // Every part after the first is held 4 s: part 1's checkpoint is saved, then the upload is cancelled (the held
        // parts still arrive, but no completion follows them).
        server.faults.install(FaultRule(kind: "s3.UploadPart", nth: 2, action: .slow(milliseconds: 4_000), count: 10))
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("prune-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let path = root + "/big.bin"
        try Data(repeating: 0x5a, count: 33 << 20).write(to: URL(fileURLWithPath: path))
        let store = UploadCheckpointStore(environment: ["XDG_STATE_HOME": root + "/state"])

        try await server.run(logger: quietLogger) { base in
            let platform = try makePlatform(base, key: Self.apiKey)
            func prepare() throws -> LocalFileUpload {
                let attributes = try FileManager.default.attributesOfItem(atPath: path)
                return platform.prepareUpload(
                    ofFile: path,
                    size: (attributes[.size] as? NSNumber)?.int64Value ?? 0,
                    modified: try #require(attributes[.modificationDate] as? Date),
                    to: nil,
                    checkpoints: store
                )
            }
            let first = try prepare()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    _ = try await platform.uploadFile(first, description: nil, checkpoints: store) { _, _ in }
                }
                let deadline = ContinuousClock.now + .seconds(60)
                while (store.load(first.checkpointPath)?.committedBytes ?? 0) == 0, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(20))
                }
                group.cancelAll()
                _ = try? await group.next()
            }
            try #require((store.load(first.checkpointPath)?.committedBytes ?? 0) > 0, "no checkpoint was saved")
            #expect(await server.s3.uploadsInProgress == 1)

            // Unchanged, the file's checkpoint is kept: the next upload resumes it.
            let kept = await platform.pruneUploadCheckpoints(store)
            #expect(kept.pruned.names.isEmpty && kept.aborted == 0)
            #expect(try prepare().isResumed)

            // Changed (one byte more), it is removed and its multipart upload aborted.
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data([1]))
            try handle.close()
            server.faults.clear()
            let pruned = await platform.pruneUploadCheckpoints(store)
            #expect(pruned.pruned.names == [(first.checkpointPath as NSString).lastPathComponent])
            #expect(pruned.aborted == 1)
            #expect(server.faults.requestCounts["s3.AbortMultipartUpload"] == 1)
            #expect(await server.s3.uploadsInProgress == 0)
            #expect(!FileManager.default.fileExists(atPath: first.checkpointPath))

            // The changed file uploads from the start, and nothing is left behind.
            let second = try prepare()
            #expect(!second.isResumed)
            _ = try await platform.uploadFile(second, description: nil, checkpoints: store) { _, _ in }
            #expect((try? FileManager.default.contentsOfDirectory(atPath: store.directory)) == [])
        }
    }
}

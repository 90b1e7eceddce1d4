import Foundation
import InterlinkCore
import InterlinkCrypto
import InterlinkSystem
import InterlinkTestSupport
import InterlinkTransfer
import LocalCloud
import LocalPlatform
import Testing

/// What one served job costs the local cloud: the job records it appends, and how its outputs are stored.
@Suite(.tags(.integration)) struct LocalCloudRecordCostTests {
    /// The job records (not file records) the log holds for `id`, in order.
    static func jobLines(_ root: String, id: JobID) throws -> [[String: Any]] {
        try text(at: root + "/records.jsonl").split(separator: "\n").compactMap { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            guard let job = object?["job"] as? [String: Any], job["id"] as? String == id.rawValue else { return nil }
            return job
        }
    }

    @Test func aServedJobKeepsEveryStatusInFiveJobRecords() async throws {
        let root = temporaryDirectory("cloud")
        let cloud = try LocalCloud(root: root)
        let job = try await cloud.createJob(
            LocalCloudTests.body("echo x > out.txt"),
            idempotencyKey: IdempotencyKey("k")
        )
        try await cloud.submit(job.id)
        let record = try await LocalCloudTests.waitForTerminalStatus(job.id, on: cloud)
        #expect(
            record.statuses.map(\.status) == [
                .pending, .queued, .started, .validated, .executing, .completed(.success),
            ]
        )
        #expect(record.executionCount == 1 && record.exitStatus == 0 && record.pid != nil)
        // Create, submit, claim (with `Queued`), the process (with `Started`, `Validated` and `Executing`), the
        // end: the executor's repeated `Pending` and its `Queued` write nothing of their own.
        let lines = try Self.jobLines(root, id: job.id)
        #expect(lines.count == 5, "job records: \(lines.count)")
        // Its process record was one file, removed with its work directory once the outputs were stored.
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/processes").isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/work").isEmpty)
        // A new instance reads the same record back (its dates to the second, as the log keeps them).
        let reloaded = try await LocalCloud(root: root).jobRecord(job.id)
        #expect(reloaded.statuses.map(\.status) == record.statuses.map(\.status))
        #expect(reloaded.pid == record.pid && reloaded.outputs == record.outputs && reloaded.exitStatus == 0)
    }

    @Test func aJobWhoseInputIsRefusedBeforeItsSpawnKeepsTheStatusesItReached() async throws {
        let root = temporaryDirectory("cloud")
        let cloud = try LocalCloud(root: root)
        let key = EncryptionKey.random()
        let producer = UploadPartProducer(
            source: MemorySource(Array("data".utf8)),
            key: key,
            iv: CipherBlock.random(),
            partSize: 1 << 16,
            path: "data.bin",
            chunkSize: 1 << 14
        )
        var object = Data()
        while let part = try await producer.nextPart() { object += part.bytes }
        let objectName = ObjectDirectory.objectName(for: "data.bin")
        try cloud.objects.writePart(object, of: objectName, at: 0)
        try cloud.objects.complete(objectName, metadata: producer.metadata.pairs)
        try await cloud.objects.syncDirectory()
        let file = try await cloud.registerFile(
            LocalCloud.FileRegistration(
                name: "data.bin",
                objectName: objectName,
                encodedEncryptionKey: key.base64,
                decryptedSize: 4,
                sha512: String(repeating: "0", count: 128),
                idempotencyKey: nil
            )
        )
        var body = LocalCloudTests.body("touch ran")
        body.jobanalyses[0].inputFiles = [JobInputFile(id: file.id, decompress: false)]
        let job = try await cloud.createJob(body, idempotencyKey: IdempotencyKey("k"))
        try await cloud.submit(job.id)
        let record = try await LocalCloudTests.waitForTerminalStatus(job.id, on: cloud)
        // `Started` is held for the spawn's record; with no spawn it is saved before the end.
        #expect(record.statuses.map(\.status).prefix(3) == [.pending, .queued, .started])
        #expect(record.status.failureReason?.contains("sha512 mismatch") == true, "\(record.status)")
        #expect(record.statuses.count == 4 && record.executionCount == 0 && record.pid == nil)
        let reloaded = try await LocalCloud(root: root).jobRecord(job.id)
        #expect(reloaded.statuses.map(\.status) == record.statuses.map(\.status))
    }

    @Test func aSmallOutputIsOnePartOfItsOwnSizeAndDownloadsIntact() async throws {
        let root = temporaryDirectory("cloud")
        let cloud = try LocalCloud(root: root)
        let large = 3 << 19  // 1.5 MiB: above the one-part limit, so it keeps the default part size
        let command = "printf 'hello\\n' > small.txt; head -c \(large) /dev/zero > large.bin"
        let job = try await cloud.createJob(LocalCloudTests.body(command), idempotencyKey: IdempotencyKey("k"))
        try await cloud.submit(job.id)
        #expect(try await LocalCloudTests.waitForTerminalStatus(job.id, on: cloud).status == .completed(.success))
        let platform = LocalPlatform(cloud: cloud, fileSystem: LocalFileSystem())
        let outputs = try await platform.listOutputs(of: job.id)
        #expect(outputs.map(\.relativePath) == ["large.bin", "process_output.log", "small.txt"])
        var partSizes: [String: String] = [:]
        for output in outputs {
            let objectName = try await cloud.file(output.id).pathParts.path
            partSizes[output.relativePath] = try cloud.objects.metadata(of: objectName)["partsize"]
        }
        // 6 bytes of plaintext are 16 of ciphertext: one part of 16 bytes, not a 16 MiB buffer.
        #expect(partSizes["small.txt"] == "16")
        #expect(partSizes["process_output.log"] == "16")
        #expect(partSizes["large.bin"] == String(16 << 20))
        let directory = temporaryDirectory("downloads")
        for output in outputs {
            let file = try await platform.download(output, to: directory + "/" + output.name) { _ in }
            #expect(file.bytes == output.bytes && file.sha512 == output.sha512)
        }
        #expect(text(at: directory + "/small.txt") == "hello\n")
        #expect(FileStamp.of(directory + "/large.bin")?.size == Int64(large))
    }
}

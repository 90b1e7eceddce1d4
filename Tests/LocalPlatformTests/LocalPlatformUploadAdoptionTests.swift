import Foundation
import InterlinkCore
import InterlinkSystem
import LocalCloud
import LocalPlatform
import Testing

/// An upload whose final part was stored but whose completion the engine never journaled (a crash) is adopted on
/// resume, not written again as a second object.
@Suite struct LocalPlatformUploadAdoptionTests {
    /// The checkpoints an upload reported, and a switch that fails the report of the final one (a crash there).
    actor Reports {
        private(set) var checkpoints: [UploadCheckpoint] = []
        let crashAtBytes: Int64?

        init(crashAtBytes: Int64? = nil) { self.crashAtBytes = crashAtBytes }

        func record(_ progress: TransferProgress) throws {
            if let checkpoint = progress.checkpoint { checkpoints.append(checkpoint) }
            if progress.bytes == crashAtBytes { throw CancellationError() }
        }
    }

    struct Fixture {
        let cloud: LocalCloud
        let platform: LocalPlatform
        let upload: PlannedUpload
        let path: String

        init(size: Int, partSize: Int) throws {
            let root = temporaryDirectory("adopt")
            cloud = try LocalCloud(root: root + "/cloud")
            platform = LocalPlatform(cloud: cloud, fileSystem: LocalFileSystem(), partSize: partSize)
            path = root + "/data.bin"
            let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            upload = PlannedUpload(
                name: "data.bin",
                source: .file(path: path),
                decompress: false,
                fileCount: 1,
                bytes: Int64(size)
            )
        }

        func send(_ reports: Reports, resumingFrom checkpoint: UploadCheckpoint?) async throws -> UploadedObject {
            try await platform.upload(upload, idempotencyKey: IdempotencyKey("k"), resumingFrom: checkpoint) {
                try await reports.record($0)
            }
        }

        /// Names of complete objects and of unfinished uploads in the cloud.
        func stored() throws -> (objects: [String], uploads: [String]) {
            let objects = try FileManager.default.contentsOfDirectory(atPath: cloud.objects.objectsDirectory)
            let uploads = try FileManager.default.contentsOfDirectory(atPath: cloud.objects.uploadsDirectory)
            return (objects.filter { !$0.hasSuffix(".metadata.json") }, uploads)
        }
    }

    @Test func completedObjectIsAdoptedWhenItsCompletionWasNotJournaled() async throws {
        let fixture = try Fixture(size: 10_000, partSize: 4096)
        let reports = Reports()
        let first = try await fixture.send(reports, resumingFrom: nil)
        let last = try #require(await reports.checkpoints.last)
        #expect(await reports.checkpoints.count == 3)
        let resumed = try await fixture.send(Reports(), resumingFrom: last)
        #expect(resumed.storagePath == first.storagePath)
        #expect(resumed.sha512 == first.sha512)
        #expect(resumed.plaintextBytes == 10_000)
        #expect(try fixture.stored().objects == [first.storagePath])
    }

    @Test func crashAfterTheFinalPartCompletesTheSameObject() async throws {
        let fixture = try Fixture(size: 10_000, partSize: 4096)
        let reports = Reports(crashAtBytes: 10_016)
        await #expect(throws: CancellationError.self) { try await fixture.send(reports, resumingFrom: nil) }
        let last = try #require(await reports.checkpoints.last)
        let pending = try fixture.stored()
        #expect(pending.objects.isEmpty)
        #expect(pending.uploads.count == 1)
        let resumed = try await fixture.send(Reports(), resumingFrom: last)
        #expect(pending.uploads == [resumed.storagePath])
        #expect(try fixture.stored().objects == [resumed.storagePath])
        #expect(try fixture.stored().uploads.isEmpty)
        #expect(fixture.cloud.objects.size(of: resumed.storagePath) == 10_016)
    }

    @Test func singlePartUploadIsAdoptedAfterACrash() async throws {
        let fixture = try Fixture(size: 3000, partSize: 4096)
        let reports = Reports(crashAtBytes: 3008)
        await #expect(throws: CancellationError.self) { try await fixture.send(reports, resumingFrom: nil) }
        let only = try #require(await reports.checkpoints.first)
        let resumed = try await fixture.send(Reports(), resumingFrom: only)
        #expect(try fixture.stored().objects == [resumed.storagePath])
        #expect(try fixture.stored().uploads.isEmpty)
    }

    @Test func changedInputIsUploadedAsANewObject() async throws {
        let fixture = try Fixture(size: 10_000, partSize: 4096)
        let reports = Reports()
        let first = try await fixture.send(reports, resumingFrom: nil)
        let last = try #require(await reports.checkpoints.last)
        try Data(repeating: 1, count: 10_000).write(to: URL(fileURLWithPath: fixture.path))
        let resumed = try await fixture.send(Reports(), resumingFrom: last)
        #expect(resumed.storagePath != first.storagePath)
        #expect(resumed.sha512 != first.sha512)
        #expect(try Set(fixture.stored().objects) == [first.storagePath, resumed.storagePath])
    }
}

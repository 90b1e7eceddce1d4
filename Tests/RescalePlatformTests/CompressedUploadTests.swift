import Foundation
import InterlinkCore
import InterlinkStorage
import InterlinkTestSupport
import RescaleSim
import Testing

@testable import RescalePlatform

/// A gzip-compressed archive, whose size is not known until it is made, uploaded as several fixed-size parts through
/// the strict fake Azure Blob service and brought back through the platform's decryption and `tar -xzf`.
@Suite(.tags(.integration)) struct CompressedUploadTests {
    @Test func gzipArchiveStreamsInPartsWithBoundedBytesQueuedAndRoundTrips() async throws {
        let blob = BlobServer()
        try await blob.store.createContainer("c1")
        let directory = try makeTemporaryDirectory()
        let input = directory.appendingPathComponent("case")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        // Incompressible bytes, so the compressed archive spans several 1 MiB parts, and a compressible file.
        let random = patternBytes(count: (3 << 20) + 12_345, seed: 11)
        let text = Array(String(repeating: "pressure 101325 Pa\n", count: 20_000).utf8)
        try Data(random).write(to: input.appendingPathComponent("random.bin"))
        try Data(text).write(to: input.appendingPathComponent("notes.txt"))
        try await withScriptedAzureRescale(blob, fileID: "F3", jobID: "J3", outputID: "O3") { base, endpoint in
            var platform = try makePlatform(base)
            var options = platform.options
            options.azureBlobEndpoint = endpoint
            options.uploadPartSize = 1 << 20
            options.uploadWindow = 2
            let counter = InFlightCounter()
            options.uploadBytesInFlight = counter
            platform = RescalePlatform(
                api: platform.api,
                http: .shared,
                options: options,
                fileSystem: platform.fileSystem,
                logger: quietLogger
            )
            let upload = PlannedUpload(
                name: "case.tar.gz",
                source: .archive(ArchiveInput(directory: input.path, compression: .gzip)),
                decompress: false,
                fileCount: 2,
                bytes: Int64(random.count + text.count)
            )
            let object = try await platform.upload(
                upload,
                idempotencyKey: IdempotencyKey("c/upload/0"),
                resumingFrom: nil
            ) { _ in }
            // More than three parts of 1 MiB, while at most W × (queue limit + one chunk) was ever queued.
            let blocks = try await blob.store.blob(object.storagePath, in: "c1").blocks.count
            #expect(blocks >= 4)
            #expect(counter.peak > 0)
            #expect(counter.peak <= 2 * ((2 << 20) + (1 << 20)))
            _ = try await platform.registerFile(object, idempotencyKey: IdempotencyKey("c/register/0"))
            let output = try #require(try await platform.listOutputs(of: JobID("J3")).first)
            let archive = directory.appendingPathComponent("out/case.tar.gz").path
            let file = try await platform.download(output, to: archive) { _ in }
            #expect(file.sha512 == object.sha512)
            let extracted = directory.appendingPathComponent("extracted")
            try FileManager.default.createDirectory(at: extracted, withIntermediateDirectories: true)
            let tar = try await ChildProcess.run("/bin/tar", ["-xzf", archive, "-C", extracted.path])
            #expect(tar.status == 0, "\(tar.stderrText)")
            // Members are named under the archived directory's name.
            let root = extracted.appendingPathComponent("case")
            #expect(try Data(contentsOf: root.appendingPathComponent("random.bin")) == Data(random))
            #expect(try Data(contentsOf: root.appendingPathComponent("notes.txt")) == Data(text))
        }
    }
}

import Foundation
import InterlinkCore
import InterlinkCrypto
import InterlinkHTTP
import InterlinkStorage
import InterlinkSystem
import InterlinkTestSupport
import InterlinkTransfer
import NIOCore
import RescaleAPI
import RescaleSim
import Testing

@testable import RescalePlatform

/// Files uploaded by Interlink 3.1 and earlier (format v1, a key per part) downloaded from the emulator's S3 and
/// Azure storage: in 8 MiB ranges that end inside parts and span them, never a whole part per range, and resumed
/// from a kept prefix that ends inside a part.
@Suite(.tags(.integration)) struct LegacyDownloadTests {
    static let apiKey = "legacy-download-key-0001"
    /// Larger than a range, and not a multiple of it: ranges end inside parts and span part boundaries.
    static let partSize = 12 << 20
    /// Two whole parts and a short third.
    static let plaintextSize = 30 << 20 + 1234

    @Test(arguments: SimConfiguration.StorageKind.allCases)
    func aV1FileDownloadsInRangesAndResumesInsideAPart(storage: SimConfiguration.StorageKind) async throws {
        let server = SimServer(configuration: SimConfiguration(users: [.init(apiKey: Self.apiKey, storage: storage)]))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("legacy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var random = SplitMix64(seed: 0x1e9a_c7)
        var plaintext = [UInt8](repeating: 0, count: Self.plaintextSize)
        plaintext.withUnsafeMutableBytes { bytes in
            for offset in stride(from: 0, to: bytes.count - 7, by: 8) {
                bytes.storeBytes(of: random.next(), toByteOffset: offset, as: UInt64.self)
            }
        }
        let digest = Hex.encode(SHA512.hash(data: plaintext))
        let key = EncryptionKey.random()
        let fileID = (0..<32).map { _ in UInt8.random(in: 0...255, using: &random) }
        let object = LegacyV1Object.encrypt(plaintext, key: key, fileID: fileID, partSize: Self.partSize)
        let getKind = storage == .azure ? "azure.GetBlob" : "s3.GetObject"

        try await server.run(logger: quietLogger) { base in
            let platform = try makePlatform(base, key: Self.apiKey)
            let output = try await Self.store(object, plaintext: plaintext, key: key, fileID: fileID, in: platform)

            // A fresh download: four ranges of at most 8 MiB for 30 MiB in parts of 12 MiB (three when a range
            // was a part).
            let fresh = directory.appendingPathComponent("fresh.bin").path
            let file = try await platform.download(output, to: fresh) { _ in }
            #expect(file.sha512 == digest)
            #expect(try Data(contentsOf: URL(fileURLWithPath: fresh)) == Data(plaintext))
            #expect(server.faults.requestCounts[getKind] == (object.count + (8 << 20) - 1) / (8 << 20))
            #expect(server.faults.servedBytes[getKind] == object.count)

            // A kept prefix that ends inside the second part, 5 MiB into it: the download goes on from the last
            // range boundary it covers (16 MiB of ciphertext, inside that part), reading the block before it for
            // the chain, and the prefix is not read again.
            let resumed = directory.appendingPathComponent("resumed.bin").path
            let kept = Self.partSize + (5 << 20)
            try Data(plaintext[..<kept]).write(to: URL(fileURLWithPath: PartialFile.partialPath(for: resumed)))
            let servedBefore = server.faults.servedBytes[getKind] ?? 0
            let again = try await platform.download(output, to: resumed) { _ in }
            #expect(again.sha512 == digest)
            #expect(try Data(contentsOf: URL(fileURLWithPath: resumed)) == Data(plaintext))
            let servedNow = (server.faults.servedBytes[getKind] ?? 0) - servedBefore
            #expect(servedNow == object.count - (16 << 20) + 16, "only the ranges after the kept prefix")

            // A kept prefix that is not this file's is found out by the digest, and the download starts over.
            let damaged = directory.appendingPathComponent("damaged.bin").path
            var wrong = Array(plaintext[..<kept])
            wrong[100] ^= 0xff
            try Data(wrong).write(to: URL(fileURLWithPath: PartialFile.partialPath(for: damaged)))
            let redone = try await platform.download(output, to: damaged) { _ in }
            #expect(redone.sha512 == digest)
            #expect(try Data(contentsOf: URL(fileURLWithPath: damaged)) == Data(plaintext))
        }
    }

    /// Puts a v1 object in the user's default storage, as Interlink 3.1 left it, and registers it.
    static func store(
        _ object: [UInt8],
        plaintext: [UInt8],
        key: EncryptionKey,
        fileID: [UInt8],
        in platform: RescalePlatform
    ) async throws -> RemoteOutput {
        let storage = try #require(try await platform.session.currentProfile().defaultStorage)
        let target = try platform.factory.target(for: storage, file: nil)
        let (objectKey, registeredPath) = target.location(forObjectNamed: "legacy.bin-" + ObjectNameSuffix.make())
        try await target.store.putObject(
            ByteBuffer(bytes: object),
            at: objectKey,
            metadata: ObjectMetadata(LegacyV1Object.metadata(fileID: fileID, partSize: partSize))
        )
        let digest = Hex.encode(SHA512.hash(data: plaintext))
        let uploaded = UploadedObject(
            name: "legacy.bin",
            storagePath: registeredPath,
            plaintextBytes: Int64(plaintext.count),
            sha512: digest,
            attributes: [
                "storageID": storage.id ?? "",
                "storageType": storage.storageType ?? "",
                "container": target.container,
                "encodedEncryptionKey": key.base64,
            ]
        )
        let record = try await platform.registerRecord(
            uploaded,
            in: try await platform.session.libraryFolder(),
            description: nil
        )
        return RemoteOutput(
            id: FileID(record.id),
            relativePath: "",
            name: "legacy.bin",
            bytes: Int64(plaintext.count),
            sha512: digest
        )
    }
}

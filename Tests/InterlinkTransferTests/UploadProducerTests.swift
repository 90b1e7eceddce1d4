import Foundation
import InterlinkCore
import InterlinkSystem
import InterlinkTestSupport
import InterlinkTransfer
import Testing

@Suite(.tags(.integration)) struct UploadProducerTests {
    private func makeTree(_ directory: TemporaryDirectory) throws -> String {
        try directory.write("Run_7/a.bin", patternBytes(300_000, seed: 1))
        try directory.write("Run_7/sub/b.bin", patternBytes(123_457, seed: 2))
        try directory.write("Run_7/sub/c.txt", Array(String(repeating: "compressible ", count: 5000).utf8))
        return directory.sub("Run_7")
    }

    private func produce(_ root: String, _ compression: Compression, checkpoint: ChainCheckpoint? = nil) async throws
        -> (UploadPartProducer, [CiphertextPart])
    {
        let manifest = try ArchiveManifest.make(for: ArchiveInput(directory: root), in: LocalFileSystem())
        let producer = try UploadPartProducer.archive(
            manifest,
            compression: compression,
            key: try makeKey(),
            iv: try makeIV(),
            partSize: 65_536,
            name: "Run_7.tar",
            resumingFrom: checkpoint
        )
        return (producer, try await collectParts(producer))
    }

    @Test(arguments: Compression.allCases)
    func archiveUploadIsDeterministicAndRoundTrips(compression: Compression) async throws {
        let directory = try TemporaryDirectory()
        let root = try makeTree(directory)
        let (producer, first) = try await produce(root, compression)
        let (_, second) = try await produce(root, compression)
        #expect(first.map(\.bytes) == second.map(\.bytes))
        #expect(first.dropLast().allSatisfy { $0.bytes.count == 65_536 })
        #expect(producer.metadata.pairs == ["iv": try makeIV().base64, "streamingformat": "cbc", "partsize": "65536"])
        let summary = try #require(producer.summary)
        #expect(summary.partCount == first.count)
        // Decrypt part by part, decompress, extract, compare.
        var decryptor = CBCStreamDecryptor(key: try makeKey(), iv: try makeIV(), path: "o")
        var plaintext: [UInt8] = []
        for part in first { plaintext += try decryptor.decrypt(part.bytes, isFinal: part.isLast) }
        try decryptor.verify(decryptedSize: summary.plaintextSize, sha512: summary.sha512)
        #expect(Compression.detect(magic: plaintext) == compression)
        var source: any ByteSource = MemorySource(plaintext)
        if let codec = try compression.makeDecompressor() { source = CodecSource(source, codec: codec) }
        let target = directory.sub("out")
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        try TarExtractor(into: target).extract(from: source)
        let diff = try await runTool(["diff", "-r", root, target + "/Run_7"])
        #expect(diff.status == 0)
    }

    @Test func resumeContinuesWhenTheRegeneratedChainMatches() async throws {
        let directory = try TemporaryDirectory()
        let root = try makeTree(directory)
        let (_, full) = try await produce(root, .gzip)
        try #require(full.count >= 3)
        let saved = full[1].checkpoint
        let data = try JSONEncoder().encode(saved)
        let decoded = try JSONDecoder().decode(ChainCheckpoint.self, from: data)
        let (_, rest) = try await produce(root, .gzip, checkpoint: decoded)
        #expect(rest.map(\.number) == Array(3...full.count))
        #expect(rest.map(\.bytes) == full.dropFirst(2).map(\.bytes))
    }

    @Test func resumeFailsWhenTheInputChanged() async throws {
        let directory = try TemporaryDirectory()
        let root = try makeTree(directory)
        let (_, full) = try await produce(root, .none)
        var changed = patternBytes(300_000, seed: 1)
        changed[10] ^= 1
        try directory.write("Run_7/a.bin", changed)
        let error = await #expect(throws: TransferError.self) {
            try await produce(root, .none, checkpoint: full[2].checkpoint)
        }
        #expect(error?.reason == .resumeMismatch("the input changed since the upload started"))
    }

    @Test func partSizeComesFromTheTableForTheTarSize() throws {
        let directory = try TemporaryDirectory()
        let root = try makeTree(directory)
        let manifest = try ArchiveManifest.make(for: ArchiveInput(directory: root), in: LocalFileSystem())
        let producer = try UploadPartProducer.archive(
            manifest,
            compression: .zstd,
            key: .random(),
            iv: .random(),
            name: "x"
        )
        #expect(producer.partSize == 16_777_216)
        #expect(TarArchiveSource.archiveSize(of: manifest) > manifest.totalBytes)
    }
}

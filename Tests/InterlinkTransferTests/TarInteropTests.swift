import Foundation
import InterlinkCore
import InterlinkSystem
import InterlinkTestSupport
import InterlinkTransfer
import Testing

@Suite(.tags(.integration)) struct TarInteropTests {
    /// A tree with long names, a long link target, an empty directory, a symlink and odd modes.
    private func makeTree(in directory: TemporaryDirectory) throws -> String {
        let root = directory.sub("Run_1")
        let longDirectory = String(repeating: "d", count: 90) + "/" + String(repeating: "e", count: 90)
        try directory.write("Run_1/input.dat", patternBytes(70_001))
        try directory.write("Run_1/sub/small.txt", Array("hello\n".utf8))
        try directory.write(
            "Run_1/\(longDirectory)/\(String(repeating: "f", count: 120)).txt",
            patternBytes(513, seed: 5)
        )
        try directory.write("Run_1/ünïcode name.txt", [])
        try FileManager.default.createDirectory(atPath: root + "/empty", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root + "/link", withDestinationPath: "sub/small.txt")
        try FileManager.default.createSymbolicLink(
            atPath: root + "/longlink",
            withDestinationPath: "sub/" + String(repeating: "x", count: 150)
        )
        chmod(root + "/sub/small.txt", 0o600)
        return root
    }

    private func writeArchive(_ root: String, compression: Compression, to path: String) throws -> ArchiveManifest {
        let manifest = try ArchiveManifest.make(for: ArchiveInput(directory: root), in: LocalFileSystem())
        var source: any ByteSource = TarArchiveSource(manifest: manifest)
        if let codec = try compression.makeCompressor() { source = CodecSource(source, codec: codec) }
        let sink = try FileSink(creating: path)
        let count = try source.copy(to: sink)
        try sink.close()
        if compression == .none { #expect(count == TarArchiveSource.archiveSize(of: manifest)) }
        return manifest
    }

    @Test func gnuTarListsAndExtractsOurArchives() async throws {
        let directory = try TemporaryDirectory()
        let root = try makeTree(in: directory)
        let archive = directory.sub("out.tar")
        let manifest = try writeArchive(root, compression: .none, to: archive)
        let listing = try await runTool(["tar", "-tf", archive])
        #expect(listing.status == 0, "\(listing.errors)")
        #expect(listing.errors.isEmpty)
        let names = String(decoding: listing.output, as: UTF8.self).split(separator: "\n").map { String($0) }
        let expected = manifest.entries.map { $0.kind == .directory ? $0.name + "/" : $0.name }
        #expect(names == expected)
        let target = directory.sub("extracted")
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        let extraction = try await runTool(["tar", "-xf", archive, "-C", target])
        #expect(extraction.status == 0, "\(extraction.errors)")
        let diff = try await runTool(["diff", "-r", "--no-dereference", root, target + "/Run_1"])
        #expect(diff.status == 0, "\(String(decoding: diff.output, as: UTF8.self))")
        var info = stat()
        #expect(lstat(target + "/Run_1/sub/small.txt", &info) == 0 && info.st_mode & 0o777 == 0o600)
    }

    @Test(arguments: [Compression.gzip, .zstd])
    func compressedArchivesRoundTripThroughTheCommandLineTools(compression: Compression) async throws {
        let directory = try TemporaryDirectory()
        let root = try makeTree(in: directory)
        let archive = directory.sub("out.\(compression.fileExtension)")
        _ = try writeArchive(root, compression: compression, to: archive)
        let tool = compression == .gzip ? ["gzip", "-dc", archive] : ["zstd", "-dcq", archive]
        let decompressed = try await runTool(tool)
        #expect(decompressed.status == 0, "\(decompressed.errors)")
        let plain = directory.sub("plain.tar")
        _ = try writeArchive(root, compression: .none, to: plain)
        #expect(decompressed.output == (try Data(contentsOf: URL(fileURLWithPath: plain))))
        // And ours reads what the tool compressed (gzip -c / zstd -c of the plain tar).
        let compressTool = compression == .gzip ? ["gzip", "-c", plain] : ["zstd", "-cq", plain]
        let theirs = try directory.write(
            "theirs.\(compression.fileExtension)",
            Array(try await runTool(compressTool).output)
        )
        let reader = try #require(try compression.makeDecompressor())
        let roundTrip = try CodecSource(FileSource(path: theirs), codec: reader).readAll()
        #expect(Data(roundTrip) == decompressed.output)
        #expect(Compression.detect(magic: try Data(contentsOf: URL(fileURLWithPath: theirs))) == compression)
    }

    @Test func ourExtractorReadsGnuTarArchivesWithLongNames() async throws {
        let directory = try TemporaryDirectory()
        let root = try makeTree(in: directory)
        for format in ["gnu", "posix", "ustar"] {
            let archive = directory.sub("gnu-\(format).tar")
            var arguments = ["tar", "--format=\(format)", "-cf", archive, "-C", directory.path, "Run_1"]
            if format == "ustar" {
                arguments = [
                    "tar", "--format=ustar", "-cf", archive, "-C", directory.path, "Run_1/sub", "Run_1/input.dat",
                ]
            }
            let created = try await runTool(arguments)
            #expect(created.status == 0, "\(created.errors)")
            let target = directory.sub("ours-\(format)")
            try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
            try TarExtractor(into: target).extract(from: FileSource(path: archive))
            let diff = try await runTool(
                format == "ustar"
                    ? ["diff", "-r", root + "/sub", target + "/Run_1/sub"]
                    : ["diff", "-r", "--no-dereference", root, target + "/Run_1"]
            )
            #expect(diff.status == 0, "\(format): \(String(decoding: diff.output, as: UTF8.self))")
        }
    }

    @Test func ourWriterAndExtractorRoundTripThroughCompression() async throws {
        let directory = try TemporaryDirectory()
        let root = try makeTree(in: directory)
        for compression in Compression.allCases {
            let archive = directory.sub("ours.\(compression.fileExtension)")
            _ = try writeArchive(root, compression: compression, to: archive)
            let target = directory.sub("x-\(compression.rawValue)")
            try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
            var source: any ByteSource = try FileSource(path: archive)
            if let codec = try compression.makeDecompressor() { source = CodecSource(source, codec: codec) }
            try TarExtractor(into: target).extract(from: source)
            let diff = try await runTool(["diff", "-r", "--no-dereference", root, target + "/Run_1"])
            #expect(diff.status == 0, "\(compression): \(String(decoding: diff.output, as: UTF8.self))")
        }
    }

    @Test func specialFilesAreSkippedWithAWarningAndChangedFilesFail() throws {
        let directory = try TemporaryDirectory()
        let root = try makeTree(in: directory)
        #expect(mkfifo(root + "/pipe", 0o644) == 0)
        let manifest = try ArchiveManifest.make(for: ArchiveInput(directory: root), in: LocalFileSystem())
        #expect(!manifest.entries.contains { $0.name.hasSuffix("pipe") })
        #expect(
            manifest.warnings.map(\.message) == [
                "skipping '\(root)/pipe': not a regular file, directory or symbolic link"
            ]
        )
        try directory.write("Run_1/input.dat", patternBytes(10))
        let error = #expect(throws: TransferError.self) { try TarArchiveSource(manifest: manifest).readAll() }
        #expect(error?.reason == .fileChanged(expected: 70_001, actual: 10))
    }
}

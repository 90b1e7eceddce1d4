import InterlinkCore
import InterlinkTransfer
import Testing

@Suite struct SystemLibraryTests {
    @Test(arguments: SystemLibrary.allCases)
    func loadsFromTheSystemWithoutDevelopmentHeaders(library: SystemLibrary) throws {
        // Loading twice is the same single bind (pthread_once) and never fails the second time.
        try library.load()
        try library.load()
    }

    @Test func aMissingLibraryNamesTheDebianPackageToInstall() {
        let error = TransferError(
            path: "zstd",
            reason: .libraryMissing(problem: "the system library libzstd.so.1 was not found", package: "libzstd1")
        )
        #expect(
            error.description
                == "zstd is not available: the system library libzstd.so.1 was not found "
                + "(install Debian's 'libzstd1', or choose another compression)"
        )
        #expect(SystemLibrary.zstd.soname == "libzstd.so.1")
        #expect(SystemLibrary.zlib.debianPackage == "zlib1g")
    }

    @Test func codecsRoundTripThroughTheLoadedLibraries() throws {
        let plain = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 9) }
        for compression in [Compression.gzip, .zstd] {
            let compressor = try compression.makeCompressor()
            let compressed = try pump(plain, through: try #require(compressor))
            #expect(Compression.detect(magic: compressed) == compression)
            #expect(compressed.count < plain.count)
            let decompressor = try compression.makeDecompressor()
            let restored = try pump(compressed, through: try #require(decompressor))
            #expect(restored == plain)
        }
    }

    /// Runs `input` through `codec` in 4 KiB input and output slices.
    private func pump(_ input: [UInt8], through codec: any StreamCodec) throws -> [UInt8] {
        var output: [UInt8] = []
        var offset = 0
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let end = min(offset + 4096, input.count)
            let finishing = end == input.count
            let result = try input[offset..<end].withUnsafeBytes { source in
                try chunk.withUnsafeMutableBytes { target in
                    try codec.process(input: source, output: target, finishing: finishing)
                }
            }
            offset += result.consumed
            output += chunk[0..<result.produced]
            if result.ended { return output }
        }
    }
}

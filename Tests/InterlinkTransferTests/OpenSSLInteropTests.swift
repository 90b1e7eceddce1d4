import Foundation
import InterlinkTestSupport
import InterlinkTransfer
import Testing

@Suite(.tags(.integration)) struct OpenSSLInteropTests {
    private static let mebibytes16 = 16 * 1_048_576

    /// Encrypts a file with our producer, returns the parts.
    private func encrypt(_ path: String, partSize: Int) async throws -> ([CiphertextPart], UploadSummary) {
        let producer = try UploadPartProducer.file(at: path, key: try makeKey(), iv: try makeIV(), partSize: partSize)
        let parts = try await collectParts(producer)
        return (parts, try #require(producer.summary))
    }

    private static let cases: [(Int, Int)] = [
        (0, mebibytes16), (1, mebibytes16), (15, mebibytes16), (16, mebibytes16), (17, mebibytes16),
        (mebibytes16 - 1, mebibytes16), (mebibytes16, mebibytes16), (mebibytes16 + 1, mebibytes16),
        (3 * mebibytes16 + 13, mebibytes16), (4099, 1024), (3 * 1024, 1024), (2_621_440, 1_048_576),
    ]

    @Test(arguments: cases)
    func partsConcatenateToOpensslOneShot(size: Int, partSize: Int) async throws {
        let directory = try TemporaryDirectory()
        let plain = try directory.write("plain.bin", patternBytes(size, seed: UInt64(size)))
        let (parts, summary) = try await encrypt(plain, partSize: partSize)
        let expected = try await runTool(["openssl", "enc", "-aes-256-cbc", "-K", toyKey, "-iv", toyIV, "-in", plain])
        #expect(expected.status == 0)
        let object = parts.reduce(into: Data()) { $0.append($1.bytes) }
        #expect(object == expected.output)
        #expect(parts.count == max(1, (size + partSize - 1) / partSize))
        #expect(parts.dropLast().allSatisfy { $0.bytes.count == partSize })
        #expect(parts.map(\.number) == Array(1...parts.count))
        #expect(parts.last?.plaintextRange.upperBound == Int64(size))
        let sha = try await runTool(["sha512sum", plain])
        #expect(String(decoding: sha.output.prefix(128), as: UTF8.self) == summary.sha512)
        #expect(summary.plaintextSize == Int64(size) && summary.ciphertextSize == Int64(expected.output.count))
    }

    @Test func ourReaderDecryptsOpensslObjectsInAnyAlignedChunking() async throws {
        let directory = try TemporaryDirectory()
        let plaintext = patternBytes(1_000_003, seed: 99)
        let plain = try directory.write("plain.bin", plaintext)
        let object = try await runTool(["openssl", "enc", "-aes-256-cbc", "-K", toyKey, "-iv", toyIV, "-in", plain])
            .output
        for chunk in [16, 4096, 65_536, 1_000_016] {
            var decryptor = CBCStreamDecryptor(key: try makeKey(), iv: try makeIV(), path: "o")
            var output = Data()
            var offset = 0
            while offset < object.count {
                let end = min(offset + chunk, object.count)
                output += try decryptor.decrypt(object[offset..<end], isFinal: end == object.count)
                offset = end
            }
            #expect(Array(output) == plaintext)
        }
        let tail = Array(object.suffix(32))
        try KeyProbe.check(
            tail: tail,
            encryptedSize: Int64(object.count),
            key: try makeKey(),
            iv: try makeIV(),
            path: "o"
        )
    }

    @Test func opensslDecryptsOurV2Object() async throws {
        let directory = try TemporaryDirectory()
        let plaintext = patternBytes(70_000, seed: 3)
        let plain = try directory.write("plain.bin", plaintext)
        let (parts, _) = try await encrypt(plain, partSize: 16_384)
        let object = try directory.write("object.bin", parts.flatMap { Array($0.bytes) })
        let decrypted = try await runTool([
            "openssl", "enc", "-d", "-aes-256-cbc", "-K", toyKey, "-iv", toyIV, "-in", object,
        ])
        #expect(decrypted.status == 0)
        #expect(Array(decrypted.output) == plaintext)
    }
}

import Foundation
import InterlinkCore
import InterlinkCrypto
import Testing

@testable import InterlinkTransfer

/// The producer's ring of chunk buffers, shared by the encryption and the hashing task that lags it.
@Suite struct ChunkRingTests {
    /// Parts, checkpoints and the SHA-512 do not depend on the chunk size (from one AES block, many chunks per part
    /// and the ring wrapping thousands of times, to one chunk per part), and they decrypt to the plaintext: empty,
    /// exactly two parts (the padding makes the last part S + 16 bytes), and two parts and a bit.
    @Test(arguments: [0, 2 * 12_288, 2 * 12_288 + 777])
    func partsAndDigestAreTheSameForEveryChunkSize(plaintextSize: Int) async throws {
        let plaintext = patternBytes(plaintextSize, seed: 9)
        let digest = Hex.encode(SHA512.hash(data: plaintext))
        var reference: [CiphertextPart]?
        for chunkSize in [16, 48, 1024, 4096, 12_288] {
            let producer = UploadPartProducer(
                source: MemorySource(plaintext),
                key: try makeKey(),
                iv: try makeIV(),
                partSize: 12_288,
                path: "memory",
                chunkSize: chunkSize
            )
            let parts = try await collectParts(producer)
            let summary = try #require(producer.summary)
            #expect(summary.sha512 == digest, "chunk size \(chunkSize)")
            #expect(summary.plaintextSize == Int64(plaintextSize))
            #expect(parts.dropLast().allSatisfy { $0.bytes.count == 12_288 })
            if let reference {
                #expect(parts.map(\.bytes) == reference.map(\.bytes), "chunk size \(chunkSize)")
                #expect(parts.map(\.checkpoint) == reference.map(\.checkpoint), "chunk size \(chunkSize)")
            } else {
                var decryptor = CBCStreamDecryptor(key: try makeKey(), iv: try makeIV(), path: "memory")
                var decrypted: [UInt8] = []
                for part in parts { decrypted += try decryptor.decrypt(part.bytes, isFinal: part.isLast) }
                #expect(decrypted == plaintext)
                try decryptor.verify(decryptedSize: summary.plaintextSize, sha512: summary.sha512)
                reference = parts
            }
        }
    }

    /// Many chunks a part: the hashing, slower than AES here, lags by up to the ring's depth, and a part ends
    /// while chunks wait to be hashed; those are hashed first in the next part, and the last part drains them.
    @Test func chunksLeftUnhashedAtAPartBoundaryAreHashedInTheNext() async throws {
        let plaintext = patternBytes(2 << 20, seed: 4)
        let producer = UploadPartProducer(
            source: MemorySource(plaintext),
            key: try makeKey(),
            iv: try makeIV(),
            partSize: 256 << 10,
            path: "memory",
            chunkSize: 16 << 10
        )
        var decryptor = CBCStreamDecryptor(key: try makeKey(), iv: try makeIV(), path: "memory")
        var decrypted: [UInt8] = []
        while let part = try await producer.nextPart() {
            #expect(producer.unhashed.count < UploadPartProducer.slotCount)
            decrypted += try decryptor.decrypt(part.bytes, isFinal: part.isLast)
        }
        #expect(producer.unhashed.isEmpty)
        #expect(decrypted == plaintext)
        #expect(producer.summary?.sha512 == Hex.encode(SHA512.hash(data: plaintext)))
    }
}

import Foundation
import InterlinkCrypto
import InterlinkTransfer
import Testing

@Suite struct EncryptionVectorTests {
    private let toyPlaintext = Array("Rescale wire-format test vector: 40 B!!\n".utf8)

    @Test func toyVectorMatchesByteForByteAsV2PartsAndAsOneShot() async throws {
        for partSize in [16, 1 << 20] {
            let producer = UploadPartProducer(
                source: MemorySource(toyPlaintext),
                key: try makeKey(),
                iv: try makeIV(),
                partSize: partSize,
                path: "toy",
                chunkSize: 16
            )
            let parts = try await collectParts(producer)
            let object = parts.flatMap { Array($0.bytes) }
            #expect(
                Hex.encode(object)
                    == "ba2f3d68323005daea09d0597862db1a67d340d6dd74e9bf017cc169a55edec02b0aad4ef5d3aff0c40aaf9be8d29ef0"
            )
            #expect(parts.count == (partSize == 16 ? 3 : 1))
            let summary = try #require(producer.summary)
            #expect(
                summary.sha512
                    == "bfb35e2036547fe2c1ee04e068b6a2dea0f598362aed83201490dec2ea4b838b"
                    + "27964176f0f0ee613c47591060d02ae5a4fd5212f4aba5553a75b4f61601eaa5"
            )
            #expect(summary.plaintextSize == 40 && summary.ciphertextSize == 48)
        }
        #expect(try makeKey().base64 == "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
        #expect(try makeIV().base64 == "oKGio6SlpqeoqaqrrK2urw==")
    }

    @Test func emptyPlaintextIsOneBlockOfPadding() async throws {
        let producer = UploadPartProducer(
            source: MemorySource([]),
            key: try makeKey(),
            iv: try makeIV(),
            partSize: 16,
            path: "e"
        )
        let parts = try await collectParts(producer)
        #expect(parts.count == 1)
        #expect(Hex.encode(parts[0].bytes) == "600d07a3b9b2c4e4082153d6d1707aa6")
    }

    @Test(arguments: [(0, 16), (1, 16), (15, 16), (16, 32), (17, 32), (31, 32), (32, 48), (100, 112)])
    func ciphertextSizeFollowsPKCS7(plain: Int, cipher: Int) async throws {
        let producer = UploadPartProducer(
            source: MemorySource(patternBytes(plain)),
            key: try makeKey(),
            iv: try makeIV(),
            partSize: 32,
            path: "s",
            chunkSize: 16
        )
        let parts = try await collectParts(producer)
        #expect(parts.reduce(0) { $0 + $1.bytes.count } == cipher)
        #expect(parts.dropLast().allSatisfy { $0.bytes.count == 32 })
        var decryptor = CBCStreamDecryptor(key: try makeKey(), iv: try makeIV(), path: "s")
        let plaintext = try decryptor.decrypt(Data(parts.flatMap { Array($0.bytes) }), isFinal: true)
        #expect(Array(plaintext) == patternBytes(plain))
    }

    /// Decrypting in place, in pieces of any 16-byte-aligned size, gives the copying path's plaintext, hash and
    /// resume state; a final piece whose padding is wrong is refused.
    @Test(arguments: [(1000, [16, 48, 512]), (4096, [4096]), (4095, [1024, 2048]), (0, [])])
    func inPlaceDecryptionMatchesTheCopyingPath(plain: Int, pieces: [Int]) async throws {
        let producer = UploadPartProducer(
            source: MemorySource(patternBytes(plain, seed: 5)),
            key: try makeKey(),
            iv: try makeIV(),
            partSize: 64,
            path: "p",
            chunkSize: 32
        )
        let ciphertext = try await collectParts(producer).flatMap { Array($0.bytes) }
        var copying = CBCStreamDecryptor(key: try makeKey(), iv: try makeIV(), path: "p")
        let expected = Array(try copying.decrypt(Data(ciphertext), isFinal: true))
        var inPlace = CBCStreamDecryptor(key: try makeKey(), iv: try makeIV(), path: "p")
        var buffer = ciphertext
        var start = 0
        var plaintext: [UInt8] = []
        // The listed pieces, then the rest as the final piece.
        for size in pieces + [ciphertext.count - pieces.reduce(0, +)] {
            let isFinal = start + size == ciphertext.count
            let count = try buffer[start..<(start + size)].withUnsafeMutableBytes { bytes in
                try inPlace.decrypt(inPlace: bytes, isFinal: isFinal)
            }
            plaintext += buffer[start..<(start + count)]
            if !isFinal {
                #expect(
                    inPlace.checkpoint.lastCiphertextBlock.bytes
                        == Array(ciphertext[(start + size - 16)..<(start + size)])
                )
            }
            start += size
        }
        #expect(plaintext == expected)
        #expect(inPlace.sha512 == copying.sha512)
        #expect(inPlace.plaintextOffset == Int64(plain))
        var tampered = ciphertext
        tampered[tampered.count - 1] ^= 0x5a
        var refusing = CBCStreamDecryptor(key: try makeKey(), iv: try makeIV(), path: "p")
        #expect(throws: TransferError.self) {
            _ = try tampered.withUnsafeMutableBytes { try refusing.decrypt(inPlace: $0, isFinal: true) }
        }
    }

    @Test func v1ToyVectorDerivesKeysAndDecrypts() throws {
        let object = try #require(
            Hex.decode(
                "f058ed47a481aa03517ca40a6aff7c5c88eb5fd210b13f60a369754a6d108d699e84d65b87e78e1dc13a2701790d8632"
                    + "d48de58cafc2155e8a73f5c3b8a1e36e"
            )
        )
        let format = try ObjectFormat.detect(
            metadata: [
                "FormatVersion": "1", "fileid": "QkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI=", "partsize": "32",
            ],
            recordIV: nil,
            path: "v1"
        )
        guard case .v1(let fileID, let partSize) = format else {
            Issue.record("expected v1, got \(format)")
            return
        }
        let reader = V1PartDecryptor(key: try makeKey(), fileID: fileID, partSize: partSize, path: "v1")
        let part0 = reader.derive(part: 0)
        #expect(Hex.encode(part0.key.bytes) == "44d3246949b6bdae5b35c45471141f727120a0b660b3de473dd41f065b987b5e")
        #expect(Hex.encode(part0.iv.bytes) == "6f6ec6762260caeae42d51a2e9659cd1")
        let part1 = reader.derive(part: 1)
        #expect(Hex.encode(part1.key.bytes) == "63d9656d4357ca523200640aa19de917ca190c8aa0db905d6fd2f18ff9082050")
        #expect(Hex.encode(part1.iv.bytes) == "5d2f0e030448ed6bee48197b9b76e55b")
        #expect(Array(try reader.decrypt(object: object)) == toyPlaintext)
        // Part 0 under part 1's key is rejected or garbage.
        var wrong = CBCStreamDecryptor(key: part1.key, iv: part1.iv, path: "v1")
        let garbage = try? wrong.decrypt(Data(object[0..<48]), isFinal: true)
        #expect(garbage.map(Array.init) != Array(toyPlaintext[0..<32]))
    }

    @Test func formatDetectionFollowsTheMetadataRules() throws {
        let iv = try makeIV().base64
        #expect(try ObjectFormat.detect(metadata: ["IV": iv], recordIV: nil, path: "o") == .v0(iv: try makeIV()))
        #expect(
            try ObjectFormat.detect(
                metadata: ["iv": iv, "StreamingFormat": "cbc", "partsize": "16777216"],
                recordIV: nil,
                path: "o"
            )
                == .v2(iv: try makeIV(), partSize: 16_777_216)
        )
        #expect(try ObjectFormat.detect(metadata: ["iv": "%%%"], recordIV: iv, path: "o") == .v0(iv: try makeIV()))
        #expect(throws: TransferError.self) { try ObjectFormat.detect(metadata: [:], recordIV: nil, path: "o") }
        #expect(throws: TransferError.self) {
            try ObjectFormat.detect(metadata: ["formatversion": "1", "partsize": "32"], recordIV: nil, path: "o")
        }
    }

    @Test func wrongKeyFailsTheProbeOrTheChecksum() async throws {
        let plaintext = patternBytes(1000)
        let producer = UploadPartProducer(
            source: MemorySource(plaintext),
            key: try makeKey(),
            iv: try makeIV(),
            partSize: 512,
            path: "p"
        )
        let object = try await collectParts(producer).flatMap { Array($0.bytes) }
        let expected = try #require(producer.summary).sha512
        let tail = Array(object.suffix(32))
        try KeyProbe.check(
            tail: tail,
            encryptedSize: Int64(object.count),
            key: try makeKey(),
            iv: try makeIV(),
            path: "p"
        )
        var rejected = 0
        for seed in 1...20 {
            let wrongKey = try EncryptionKey(bytes: patternBytes(32, seed: UInt64(seed)))
            do {
                try KeyProbe.check(
                    tail: tail,
                    encryptedSize: Int64(object.count),
                    key: wrongKey,
                    iv: try makeIV(),
                    path: "p"
                )
                var decryptor = CBCStreamDecryptor(key: wrongKey, iv: try makeIV(), path: "p")
                _ = try decryptor.decrypt(Data(object), isFinal: true)
                try decryptor.verify(decryptedSize: 1000, sha512: expected)
            } catch {
                rejected += 1
            }
        }
        #expect(rejected == 20)
    }

    @Test func truncatedObjectsAreRejected() throws {
        var decryptor = CBCStreamDecryptor(key: try makeKey(), iv: try makeIV(), path: "t")
        let error = #expect(throws: TransferError.self) { try decryptor.decrypt(Data(count: 47), isFinal: true) }
        #expect(error?.reason == .truncatedCiphertext(length: 47))
        #expect(throws: TransferError.self) {
            try KeyProbe.check(
                tail: patternBytes(31),
                encryptedSize: 31,
                key: try makeKey(),
                iv: try makeIV(),
                path: "t"
            )
        }
    }

    @Test func streamingDecryptionResumesAtAnAlignedOffset() async throws {
        let plaintext = patternBytes(5000, seed: 7)
        let producer = UploadPartProducer(
            source: MemorySource(plaintext),
            key: try makeKey(),
            iv: try makeIV(),
            partSize: 1024,
            path: "r"
        )
        let object = try await collectParts(producer).flatMap { Array($0.bytes) }
        var first = CBCStreamDecryptor(key: try makeKey(), iv: try makeIV(), path: "r")
        var output = Array(try first.decrypt(Data(object[0..<48]), isFinal: false))
        output += try first.decrypt(Data(object[48..<1600]), isFinal: false)
        let saved = first.checkpoint
        var prefixHasher = SHA512()
        prefixHasher.update(data: output)
        var resumed = CBCStreamDecryptor(
            key: try makeKey(),
            resumingAt: saved.ciphertextOffset,
            previousBlock: saved.lastCiphertextBlock,
            hasher: prefixHasher,
            path: "r"
        )
        output += try resumed.decrypt(Data(object[1600..<4096]), isFinal: false)
        output += try resumed.decrypt(Data(object[4096...]), isFinal: true)
        #expect(output == plaintext)
        try resumed.verify(decryptedSize: 5000, sha512: try #require(producer.summary).sha512.uppercased())
    }

    @Test func objectNameSuffixIsUniformAlphanumeric() {
        let suffix = ObjectNameSuffix.make()
        #expect(suffix.count == 22)
        #expect(
            suffix.unicodeScalars.allSatisfy {
                ($0.properties.isASCIIHexDigit || $0.properties.isAlphabetic) && $0.isASCII
            }
        )
        #expect(ObjectNameSuffix.make() != suffix)
        #expect(ObjectNameSuffix.objectName(for: "case 1.tar", suffix: "x") == "case 1.tar-x")
        #expect(EncryptionKey.random() != EncryptionKey.random())
        #expect(CipherBlock.random().base64.count == 24)
        #expect(PartSize.forPlaintextSize(100 * 1_048_576 - 1) == 16_777_216)
        #expect(PartSize.forPlaintextSize(5 * 1_073_741_824) == 64 * 1_048_576)
        #expect(PartSize.encryptedSize(plaintextSize: 41_943_045) == 41_943_056)
    }
}

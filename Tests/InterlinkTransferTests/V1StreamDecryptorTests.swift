import Foundation
import InterlinkCrypto
import InterlinkTestSupport
import InterlinkTransfer
import Testing

/// Legacy v1 objects decrypted from pieces that end inside parts or span them, so no reader holds a whole part.
@Suite struct V1StreamDecryptorTests {
    /// Part sizes: one block, two, a size that is not a multiple of 16 (the part's last block then holds
    /// plaintext and padding), and a larger odd one.
    static let partSizes = [16, 32, 40, 1000]

    static func lengths(partSize size: Int) -> [Int] {
        [0, 1, 15, 16, 17, size - 1, size, size + 1, 2 * size, 3 * size + 7, 5 * size + 16]
    }

    static let fileID = [UInt8](repeating: 0x42, count: 32)

    static func fixture(length: Int, partSize: Int, seed: UInt64) throws -> (
        plaintext: [UInt8], object: [UInt8], parts: V1PartDecryptor
    ) {
        var random = SplitMix64(seed: seed)
        let plaintext = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
        let key = try makeKey()
        let object = LegacyV1Object.encrypt(plaintext, key: key, fileID: fileID, partSize: partSize)
        return (plaintext, object, V1PartDecryptor(key: key, fileID: fileID, partSize: partSize, path: "v1"))
    }

    /// Decrypts `object[from...]` in pieces of random 16-byte-aligned sizes (up to four parts' worth) and returns
    /// the plaintext, compacted by the decryptor.
    static func decrypt(
        _ object: [UInt8],
        with decryptor: inout V1StreamDecryptor,
        from start: Int = 0,
        using random: inout SplitMix64,
        most: Int
    ) throws -> [UInt8] {
        var plaintext: [UInt8] = []
        var offset = start
        while offset < object.count {
            let size = min(16 * Int.random(in: 1...max(1, most / 16), using: &random), object.count - offset)
            var piece = Array(object[offset..<(offset + size)])
            let count = try piece.withUnsafeMutableBytes { try decryptor.decrypt(inPlace: $0) }
            plaintext += piece[..<count]
            offset += size
        }
        return plaintext
    }

    @Test(arguments: partSizes)
    func piecesOfAnyAlignedSizeGiveThePlaintextAndItsDigest(partSize: Int) throws {
        var random = SplitMix64(seed: UInt64(partSize))
        for length in Self.lengths(partSize: partSize) {
            let (plaintext, object, parts) = try Self.fixture(length: length, partSize: partSize, seed: UInt64(length))
            // The reference: each part decrypted whole, as the per-part reader does.
            #expect(Array(try parts.decrypt(object: object)) == plaintext)
            for _ in 0..<4 {
                var decryptor = V1StreamDecryptor(parts: parts, objectSize: Int64(object.count), path: "v1")
                let most = 4 * parts.encryptedPartSize
                let result = try Self.decrypt(object, with: &decryptor, using: &random, most: most)
                #expect(result == plaintext, "length \(length), part size \(partSize)")
                #expect(decryptor.sha512 == Hex.encode(SHA512.hash(data: plaintext)))
                try decryptor.verify(decryptedSize: Int64(length), sha512: Hex.encode(SHA512.hash(data: plaintext)))
            }
        }
    }

    @Test(arguments: partSizes)
    func resumesAtEveryAlignedOffset(partSize: Int) throws {
        let length = 3 * partSize + 7
        let (plaintext, object, parts) = try Self.fixture(length: length, partSize: partSize, seed: 7)
        var random = SplitMix64(seed: 11)
        for offset in stride(from: 0, to: object.count, by: 16) {
            let kept = V1StreamDecryptor.plaintextOffset(atCiphertext: Int64(offset), parts: parts)
            var hasher = SHA512()
            hasher.update(data: plaintext[..<Int(kept)])
            let inside = offset % parts.encryptedPartSize != 0
            var decryptor = V1StreamDecryptor(
                parts: parts,
                objectSize: Int64(object.count),
                resumingAt: Int64(offset),
                previousBlock: inside ? try CipherBlock(bytes: Array(object[(offset - 16)..<offset])) : nil,
                hasher: hasher,
                path: "v1"
            )
            let rest = try Self.decrypt(object, with: &decryptor, from: offset, using: &random, most: 64)
            #expect(Array(plaintext[..<Int(kept)]) + rest == plaintext, "resumed at ciphertext offset \(offset)")
            try decryptor.verify(decryptedSize: Int64(length), sha512: Hex.encode(SHA512.hash(data: plaintext)))
        }
    }

    @Test(arguments: partSizes)
    func aKeptPrefixMapsToTheLastOffsetItCovers(partSize: Int) throws {
        let (plaintext, object, parts) = try Self.fixture(length: 4 * partSize + 3, partSize: partSize, seed: 3)
        for kept in 0...plaintext.count {
            let offset = V1StreamDecryptor.ciphertextOffset(keeping: Int64(kept), parts: parts)
            #expect(offset.isMultiple(of: 16))
            #expect(V1StreamDecryptor.plaintextOffset(atCiphertext: offset, parts: parts) <= Int64(kept))
            // The next block would need plaintext that was not kept.
            if offset + 16 < object.count {
                #expect(V1StreamDecryptor.plaintextOffset(atCiphertext: offset + 16, parts: parts) > Int64(kept))
            }
        }
    }

    @Test func damageIsRefusedWhereItIs() throws {
        let (_, object, parts) = try Self.fixture(length: 100, partSize: 32, seed: 5)
        // The second part's padding (its last block) damaged: refused in the piece that ends that part.
        var damaged = object
        damaged[2 * parts.encryptedPartSize - 1] ^= 0x5a
        var decryptor = V1StreamDecryptor(parts: parts, objectSize: Int64(object.count), path: "v1")
        var first = Array(damaged[0..<48])
        _ = try first.withUnsafeMutableBytes { try decryptor.decrypt(inPlace: $0) }
        var second = Array(damaged[48..<96])
        #expect(throws: TransferError.self) {
            _ = try second.withUnsafeMutableBytes { try decryptor.decrypt(inPlace: $0) }
        }
        // A piece that is not block-aligned, or runs past the object's end.
        var fresh = V1StreamDecryptor(parts: parts, objectSize: Int64(object.count), path: "v1")
        var unaligned = Array(object[0..<20])
        #expect(throws: TransferError.self) {
            _ = try unaligned.withUnsafeMutableBytes { try fresh.decrypt(inPlace: $0) }
        }
        var beyond = object + [UInt8](repeating: 0, count: 16)
        #expect(throws: TransferError.self) {
            _ = try beyond.withUnsafeMutableBytes { try fresh.decrypt(inPlace: $0) }
        }
        // An object read only in part does not verify, even when the plaintext so far is the size expected: here the
        // last part's first block is not its end, so it is plaintext (96 + 16 bytes).
        var partial = V1StreamDecryptor(parts: parts, objectSize: Int64(object.count) + 16, path: "v1")
        var whole = object
        let count = try whole.withUnsafeMutableBytes { try partial.decrypt(inPlace: $0) }
        #expect(count == 112)
        #expect(throws: TransferError.self) { try partial.verify(decryptedSize: 112, sha512: nil) }
    }

    @Test func partSizesBeyondS3sLargestPartAreRefused() throws {
        let fileID = Data(Self.fileID).base64EncodedString()
        let largest = String(ObjectFormat.largestV1PartSize)
        let format = try ObjectFormat.detect(
            metadata: ["formatversion": "1", "fileid": fileID, "partsize": largest],
            recordIV: nil,
            path: "v1"
        )
        #expect(format == .v1(fileID: Self.fileID, partSize: ObjectFormat.largestV1PartSize))
        for size in [String(ObjectFormat.largestV1PartSize + 1), String(Int.max - 7), "0", "-16"] {
            #expect(throws: TransferError.self, "partsize \(size)") {
                try ObjectFormat.detect(
                    metadata: ["formatversion": "1", "fileid": fileID, "partsize": size],
                    recordIV: nil,
                    path: "v1"
                )
            }
        }
    }
}

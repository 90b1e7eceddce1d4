import Foundation
import InterlinkCrypto
import InterlinkStorage
import InterlinkTransfer
import NIOCore

/// Decrypts ranges in order (v0/v2 as one CBC chain, v1 part by part) and verifies size and SHA-512 on the last
/// range, before the downloader renames the file into place.
struct DecryptingConsumer: RangeConsumer {
    enum Mode {
        case chained(CBCStreamDecryptor)
        case perPart(V1PartDecryptor, next: UInt64, hasher: SHA512, bytes: Int64)
    }

    var mode: Mode
    let expectedSize: Int64
    let expectedSHA512: String?
    let path: String
    /// The SHA-512 of the plaintext, set after the last range.
    private(set) var sha512: String?

    init(mode: Mode, expectedSize: Int64, expectedSHA512: String?, path: String) {
        self.mode = mode
        self.expectedSize = expectedSize
        self.expectedSHA512 = expectedSHA512
        self.path = path
    }

    /// Decrypts the range where it was received: the plaintext overwrites the ciphertext in the same buffer, so a
    /// range costs no allocation and no copy beyond the cipher's own pass.
    mutating func consume(_ bytes: inout ByteBuffer, isLast: Bool) async throws -> ByteBuffer {
        switch mode {
        case .chained(var decryptor):
            let count = try bytes.withUnsafeMutableReadableBytes { buffer throws(TransferError) in
                try decryptor.decrypt(inPlace: buffer, isFinal: isLast)
            }
            bytes.moveWriterIndex(to: bytes.readerIndex + count)
            if isLast {
                try decryptor.verify(decryptedSize: expectedSize, sha512: expectedSHA512)
                sha512 = decryptor.sha512
            }
            mode = .chained(decryptor)
            return bytes
        case .perPart(let decryptor, let index, var hasher, let count):
            let plain = try bytes.withUnsafeReadableBytes { input throws(TransferError) in
                try decryptor.decrypt(part: index, input)
            }
            hasher.update(data: plain)
            let total = count + Int64(plain.count)
            if isLast {
                let digest = Hex.encode(hasher.finalize())
                guard total == expectedSize else {
                    throw TransferError(path: path, reason: .sizeMismatch(expected: expectedSize, actual: total))
                }
                if let expectedSHA512, expectedSHA512.lowercased() != digest {
                    throw TransferError(path: path, reason: .checksumMismatch(expected: expectedSHA512, actual: digest))
                }
                sha512 = digest
            }
            mode = .perPart(decryptor, next: index + 1, hasher: hasher, bytes: total)
            return ByteBuffer(bytes: plain)
        }
    }
}

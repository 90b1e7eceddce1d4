import Foundation
import InterlinkCrypto
import InterlinkStorage
import InterlinkTransfer
import NIOCore

/// Decrypts ranges in order (v0/v2 as one CBC chain, v1 part by part, a range ending inside a part or spanning
/// parts) and verifies size and SHA-512 on the last range, before the downloader renames the file into place.
struct DecryptingConsumer: RangeConsumer {
    var decryptor: any ObjectStreamDecryptor
    let expectedSize: Int64
    let expectedSHA512: String?
    let path: String
    /// The SHA-512 of the plaintext, set after the last range.
    private(set) var sha512: String?

    init(decryptor: any ObjectStreamDecryptor, expectedSize: Int64, expectedSHA512: String?, path: String) {
        self.decryptor = decryptor
        self.expectedSize = expectedSize
        self.expectedSHA512 = expectedSHA512
        self.path = path
    }

    /// Decrypts the range where it was received: the plaintext overwrites the ciphertext in the same buffer, so a
    /// range costs no allocation and no copy beyond the cipher's own pass.
    mutating func consume(_ bytes: inout ByteBuffer, isLast: Bool) async throws -> ByteBuffer {
        let count = try bytes.withUnsafeMutableReadableBytes { buffer throws(TransferError) in
            try decryptor.decrypt(inPlace: buffer, isFinal: isLast)
        }
        bytes.moveWriterIndex(to: bytes.readerIndex + count)
        if isLast {
            try decryptor.verify(decryptedSize: expectedSize, sha512: expectedSHA512)
            sha512 = decryptor.sha512
        }
        return bytes
    }
}

import Foundation
import InterlinkCrypto

/// Decrypts a legacy v1 object from in-order pieces of any 16-byte-aligned size, hashing the plaintext as it goes:
/// a piece may end inside a part or span several parts, so a reader holds a piece, never a whole part (v1 parts
/// were up to 64 MiB).
///
/// Each part has its own key and IV (``V1PartDecryptor/derive(part:)``) and its own PKCS#7 padding, which is
/// removed where the part ends; the plaintext of a piece is moved together at its start. Every ciphertext block but
/// a part's last holds 16 plaintext bytes, so each 16-byte-aligned ciphertext offset maps to one plaintext offset
/// (``plaintextOffset(atCiphertext:)``): a download can resume there with the ciphertext block before it as the
/// chaining block, as a v0 or v2 download does.
package struct V1StreamDecryptor: ObjectStreamDecryptor {
    private let parts: V1PartDecryptor
    /// The whole object's ciphertext size: where the last part ends.
    package let objectSize: Int64
    private let path: String
    /// The chain of the part being read; nil before a part's first block.
    private var chain: CBCChain?
    private var hasher: SHA512
    /// Ciphertext bytes consumed so far (including any resumed prefix).
    package private(set) var ciphertextOffset: Int64
    /// Plaintext bytes produced so far (including any resumed prefix).
    package private(set) var plaintextOffset: Int64

    /// Starts at the beginning of an object.
    ///
    /// - Parameters:
    ///   - parts: The object's keys and part size.
    ///   - objectSize: The object's ciphertext size, a positive multiple of 16.
    ///   - path: The object, for error messages.
    package init(parts: V1PartDecryptor, objectSize: Int64, path: String) {
        self.init(parts: parts, objectSize: objectSize, resumingAt: 0, previousBlock: nil, hasher: SHA512(), path: path)
    }

    /// Resumes mid-object.
    ///
    /// - Parameters:
    ///   - parts: The object's keys and part size.
    ///   - objectSize: The object's ciphertext size, a positive multiple of 16.
    ///   - offset: A 16-byte-aligned ciphertext offset: the plaintext before it (``plaintextOffset(atCiphertext:)``)
    ///     is already written.
    ///   - previousBlock: Ciphertext bytes [offset − 16, offset) when `offset` is inside a part; nil at a part's
    ///     start, whose IV is derived.
    ///   - hasher: A SHA-512 state that has hashed the plaintext before `offset`.
    ///   - path: The object, for error messages.
    package init(
        parts: V1PartDecryptor,
        objectSize: Int64,
        resumingAt offset: Int64,
        previousBlock: CipherBlock?,
        hasher: SHA512,
        path: String
    ) {
        precondition(offset >= 0 && offset.isMultiple(of: 16), "resume offsets are 16-byte aligned")
        self.parts = parts
        self.objectSize = objectSize
        self.path = path
        self.hasher = hasher
        ciphertextOffset = offset
        plaintextOffset = Self.plaintextOffset(atCiphertext: offset, parts: parts)
        let partLength = Int64(parts.encryptedPartSize)
        if offset % partLength != 0 {
            precondition(previousBlock != nil, "inside a part, the chain goes on from the block before")
            let index = UInt64(offset / partLength)
            chain = previousBlock.map { CBCChain(key: parts.derive(part: index).key, iv: $0) }
        }
    }

    /// The plaintext bytes before a 16-byte-aligned ciphertext offset: the whole parts before it, and the blocks
    /// of its part before it (none of them is that part's padded last block, which ends at the next part's start).
    package static func plaintextOffset(atCiphertext offset: Int64, parts: V1PartDecryptor) -> Int64 {
        let partLength = Int64(parts.encryptedPartSize)
        return offset / partLength * Int64(parts.partSize) + offset % partLength
    }

    /// The largest 16-byte-aligned ciphertext offset whose plaintext before it is at most `plaintext` bytes: where
    /// a download that kept `plaintext` bytes goes on.
    package static func ciphertextOffset(keeping plaintext: Int64, parts: V1PartDecryptor) -> Int64 {
        let partSize = Int64(parts.partSize)
        let within = plaintext % partSize
        // Inside a part, every whole block before the part's last is 16 plaintext bytes.
        let lastBlockStart = Int64(parts.encryptedPartSize) - 16
        return plaintext / partSize * Int64(parts.encryptedPartSize) + min(within / 16 * 16, lastBlockStart)
    }

    /// Decrypts the next piece where it is, hashing the plaintext: no second buffer is allocated or copied.
    ///
    /// - Parameters:
    ///   - bytes: The next ciphertext bytes of the object, a multiple of 16; they hold the plaintext afterwards,
    ///     from their start (each part's padding is taken out).
    ///   - isFinal: Whether this piece ends the object: it must then reach ``objectSize``.
    /// - Returns: How many bytes at the start of `bytes` are plaintext.
    /// - Throws: `TransferError` for an unaligned piece, one beyond the object's end or a final one short of it
    ///   (`.truncatedCiphertext`), or bad padding at a part's end.
    package mutating func decrypt(inPlace bytes: UnsafeMutableRawBufferPointer, isFinal: Bool = false)
        throws(TransferError) -> Int
    {
        let end = ciphertextOffset + Int64(bytes.count)
        guard bytes.count.isMultiple(of: 16), end <= objectSize, !isFinal || end == objectSize else {
            throw TransferError(path: path, reason: .truncatedCiphertext(length: end))
        }
        let partLength = Int64(parts.encryptedPartSize)
        var read = 0
        var written = 0
        while read < bytes.count {
            let index = ciphertextOffset / partLength
            let partEnd = min((index + 1) * partLength, objectSize)
            let take = Int(min(Int64(bytes.count - read), partEnd - ciphertextOffset))
            var partChain =
                chain
                ?? {
                    let (key, iv) = parts.derive(part: UInt64(index))
                    return CBCChain(key: key, iv: iv)
                }()
            let segment = UnsafeMutableRawBufferPointer(rebasing: bytes[read..<(read + take)])
            partChain.decrypt(inPlace: segment)
            var count = take
            if ciphertextOffset + Int64(take) == partEnd {
                count -= try PKCS7.paddingLength(of: UnsafeRawBufferPointer(segment).suffix(16), path: path)
                chain = nil
            } else {
                chain = partChain
            }
            if written != read, count > 0, let base = bytes.baseAddress {
                // Earlier parts' padding left a gap: the plaintext moves up to follow theirs (a memmove: the two
                // ranges may overlap).
                (base + written).copyMemory(from: base + read, byteCount: count)
            }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: bytes[written..<(written + count)]))
            read += take
            written += count
            ciphertextOffset += Int64(take)
            plaintextOffset += Int64(count)
        }
        return written
    }

    /// The SHA-512 of all plaintext so far, lowercase hex.
    package var sha512: String { Hex.encode(hasher.finalize()) }

    /// Checks that the whole object was read, and the result against the file record: size always, SHA-512 when
    /// the record has one (case-insensitive).
    ///
    /// - Throws: `TransferError` with `.truncatedCiphertext`, `.sizeMismatch` or `.checksumMismatch`.
    package func verify(decryptedSize: Int64, sha512 expected: String?) throws(TransferError) {
        guard ciphertextOffset == objectSize else {
            throw TransferError(path: path, reason: .truncatedCiphertext(length: ciphertextOffset))
        }
        try DecryptedObject.verify(
            plaintextBytes: plaintextOffset,
            sha512: sha512,
            decryptedSize: decryptedSize,
            expected: expected,
            path: path
        )
    }
}

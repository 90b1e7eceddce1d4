import Foundation
import InterlinkCrypto

/// Decrypts a v0 or v2 object (whole-file CBC) from in-order pieces of any 16-byte-aligned size, hashing the
/// plaintext as it goes.
///
/// It can start mid-object: at a 16-byte-aligned ciphertext offset, with the 16 ciphertext bytes before it as the
/// IV and a hasher that has already seen the plaintext before it.
package struct CBCStreamDecryptor: ObjectStreamDecryptor {
    private var chain: CBCChain
    private var hasher: SHA512
    private let path: String
    /// Ciphertext bytes consumed so far (including any resumed prefix).
    package private(set) var ciphertextOffset: Int64
    /// Plaintext bytes produced so far (including any resumed prefix).
    package private(set) var plaintextOffset: Int64
    private var finished = false

    /// Starts at the beginning of an object.
    ///
    /// - Parameters:
    ///   - key: The AES-256 key.
    ///   - iv: The object's IV (metadata `iv`).
    ///   - path: The object, for error messages.
    package init(key: EncryptionKey, iv: CipherBlock, path: String) {
        self.init(key: key, resumingAt: 0, previousBlock: iv, hasher: SHA512(), path: path)
    }

    /// Resumes mid-object.
    ///
    /// - Parameters:
    ///   - key: The AES-256 key.
    ///   - offset: A 16-byte-aligned ciphertext offset: the plaintext before it is already written.
    ///   - previousBlock: Ciphertext bytes [offset − 16, offset), or the object IV when `offset` is 0.
    ///   - hasher: A SHA-512 state that has hashed the plaintext before `offset`.
    ///   - path: The object, for error messages.
    package init(
        key: EncryptionKey,
        resumingAt offset: Int64,
        previousBlock: CipherBlock,
        hasher: SHA512,
        path: String
    ) {
        precondition(offset >= 0 && offset.isMultiple(of: 16), "resume offsets are 16-byte aligned")
        chain = CBCChain(key: key, iv: previousBlock)
        self.hasher = hasher
        self.path = path
        ciphertextOffset = offset
        plaintextOffset = offset
    }

    /// The state to persist for resuming after the last non-final piece.
    package var checkpoint: ChainCheckpoint {
        ChainCheckpoint(
            partIndex: 0,
            plaintextOffset: plaintextOffset,
            ciphertextOffset: ciphertextOffset,
            lastCiphertextBlock: chain.chainingBlock
        )
    }

    /// Decrypts the next piece.
    ///
    /// - Parameters:
    ///   - ciphertext: The next bytes of the object, a multiple of 16 (at least 16 when final).
    ///   - isFinal: Whether this piece ends the object; its PKCS#7 padding is then checked and removed.
    /// - Returns: The plaintext of this piece.
    /// - Throws: `TransferError` for an unaligned piece (`.truncatedCiphertext`) or bad padding.
    package mutating func decrypt(_ ciphertext: some ContiguousBytes, isFinal: Bool) throws(TransferError) -> Data {
        // A copy decrypted in place: one set of checks, chaining and hashing for both forms.
        var plaintext = ciphertext.withUnsafeBytes { Data($0) }
        let count = plaintext.withUnsafeMutableBytes { bytes in
            Result { () throws(TransferError) in try decrypt(inPlace: bytes, isFinal: isFinal) }
        }
        plaintext.count = try count.get()
        return plaintext
    }

    /// Decrypts the next piece where it is, hashing the plaintext: no second buffer is allocated or copied.
    ///
    /// - Parameters:
    ///   - bytes: The next ciphertext bytes of the object, a multiple of 16 (at least 16 when final); they hold the
    ///     plaintext afterwards, its padding (when final) left after the returned count.
    ///   - isFinal: Whether this piece ends the object; its PKCS#7 padding is then checked and left out.
    /// - Returns: How many bytes at the start of `bytes` are plaintext.
    /// - Throws: `TransferError` for an unaligned piece (`.truncatedCiphertext`) or bad padding.
    package mutating func decrypt(inPlace bytes: UnsafeMutableRawBufferPointer, isFinal: Bool) throws(TransferError)
        -> Int
    {
        precondition(!finished, "nothing follows the final piece")
        guard bytes.count.isMultiple(of: 16), !isFinal || bytes.count >= 16 else {
            throw TransferError(path: path, reason: .truncatedCiphertext(length: ciphertextOffset + Int64(bytes.count)))
        }
        chain.decrypt(inPlace: bytes)
        ciphertextOffset += Int64(bytes.count)
        var count = bytes.count
        if isFinal {
            finished = true
            count -= try PKCS7.paddingLength(of: UnsafeRawBufferPointer(bytes).suffix(16), path: path)
        }
        hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: bytes[..<count]))
        plaintextOffset += Int64(count)
        return count
    }

    /// The SHA-512 of all plaintext so far, lowercase hex.
    package var sha512: String { Hex.encode(hasher.finalize()) }

    /// Checks the result against the file record: size always, SHA-512 when the record has one (case-insensitive).
    ///
    /// - Throws: `TransferError` with `.sizeMismatch` or `.checksumMismatch`.
    package func verify(decryptedSize: Int64, sha512 expected: String?) throws(TransferError) {
        try DecryptedObject.verify(
            plaintextBytes: plaintextOffset,
            sha512: sha512,
            decryptedSize: decryptedSize,
            expected: expected,
            path: path
        )
    }
}

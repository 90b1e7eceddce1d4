import Foundation

/// Decrypts a whole object read in order, each piece where it is, hashing the plaintext.
///
/// v0 and v2 are one CBC chain (``CBCStreamDecryptor``), v1 goes part by part (``V1StreamDecryptor``). Downloads
/// and the local cloud's inputs read every format through it, in pieces of any 16-byte-aligned size.
package protocol ObjectStreamDecryptor {
    /// Decrypts the next piece where it is.
    ///
    /// - Parameters:
    ///   - bytes: The next ciphertext bytes of the object, a multiple of 16; they hold the plaintext afterwards,
    ///     from their start.
    ///   - isFinal: Whether this piece ends the object.
    /// - Returns: How many bytes at the start of `bytes` are plaintext.
    /// - Throws: `TransferError` for an unaligned or misplaced piece, or bad padding.
    mutating func decrypt(inPlace bytes: UnsafeMutableRawBufferPointer, isFinal: Bool) throws(TransferError) -> Int

    /// The SHA-512 of all plaintext so far, lowercase hex.
    var sha512: String { get }

    /// Checks the finished object against its file record: size always, SHA-512 when the record has one.
    ///
    /// - Throws: `TransferError` with `.sizeMismatch` or `.checksumMismatch` (or `.truncatedCiphertext`).
    func verify(decryptedSize: Int64, sha512 expected: String?) throws(TransferError)
}

extension ObjectFormat {
    /// A decryptor of this object from its first byte.
    ///
    /// - Parameters:
    ///   - key: The file's data key.
    ///   - objectSize: The object's ciphertext size (v1 needs it to know where its last part ends).
    ///   - path: The object, for error messages.
    /// - Returns: The decryptor, at the object's first byte.
    package func streamDecryptor(key: EncryptionKey, objectSize: Int64, path: String) -> any ObjectStreamDecryptor {
        switch self {
        case .v0(let iv), .v2(let iv, _):
            CBCStreamDecryptor(key: key, iv: iv, path: path)
        case .v1(let fileID, let partSize):
            V1StreamDecryptor(
                parts: V1PartDecryptor(key: key, fileID: fileID, partSize: partSize, path: path),
                objectSize: objectSize,
                path: path
            )
        }
    }
}

/// The check every decrypted object ends with.
enum DecryptedObject {
    /// Checks `plaintextBytes` and their digest against the file record: size always, SHA-512 when the record has
    /// one (case-insensitive).
    ///
    /// - Throws: `TransferError` with `.sizeMismatch` or `.checksumMismatch`.
    static func verify(
        plaintextBytes: Int64,
        sha512: String,
        decryptedSize: Int64,
        expected: String?,
        path: String
    ) throws(TransferError) {
        guard plaintextBytes == decryptedSize else {
            throw TransferError(path: path, reason: .sizeMismatch(expected: decryptedSize, actual: plaintextBytes))
        }
        if let expected, expected.lowercased() != sha512 {
            throw TransferError(path: path, reason: .checksumMismatch(expected: expected.lowercased(), actual: sha512))
        }
    }
}

import Foundation
import InterlinkCrypto

/// Reads the legacy v1 format; it is never written.
///
/// Each part has its own key and IV from HKDF-SHA256 and is padded on its own.
package struct V1PartDecryptor: Sendable {
    private let key: EncryptionKey
    private let fileID: [UInt8]
    /// The plaintext part size S.
    package let partSize: Int
    private let path: String

    /// Prepares to read a v1 object.
    ///
    /// - Parameters:
    ///   - key: The master key (`encodedEncryptionKey`).
    ///   - fileID: The metadata `fileid`, 32 bytes.
    ///   - partSize: The metadata `partsize`.
    ///   - path: The object, for error messages.
    package init(key: EncryptionKey, fileID: [UInt8], partSize: Int, path: String) {
        precondition(partSize > 0, "v1 part sizes are positive")
        self.key = key
        self.fileID = fileID
        self.partSize = partSize
        self.path = path
    }

    /// The ciphertext size of a full part: S + 16 − (S mod 16).
    package var encryptedPartSize: Int { partSize + 16 - partSize % 16 }

    /// The key and IV of part `index`: HKDF-SHA256(IKM = key, salt = empty, info = fileID ‖ uint64le(index), 48).
    package func derive(part index: UInt64) -> (key: EncryptionKey, iv: CipherBlock) {
        var info = fileID
        withUnsafeBytes(of: index.littleEndian) { info += $0 }
        let material = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: key.bytes,
            salt: [UInt8](),
            info: info,
            outputByteCount: 48
        )
        guard let partKey = try? EncryptionKey(bytes: Array(material[0..<32])),
            let partIV = try? CipherBlock(bytes: material[32..<48])
        else { preconditionFailure("HKDF returned 48 bytes") }
        return (partKey, partIV)
    }

    /// Decrypts one part and removes its padding.
    ///
    /// - Throws: `TransferError` for an unaligned part or bad padding.
    package func decrypt(part index: UInt64, _ ciphertext: some ContiguousBytes) throws(TransferError) -> Data {
        let (partKey, partIV) = derive(part: index)
        var decryptor = CBCStreamDecryptor(key: partKey, iv: partIV, path: path)
        return try decryptor.decrypt(ciphertext, isFinal: true)
    }

    /// Decrypts a whole v1 object held in memory (tests and small files).
    ///
    /// - Throws: `TransferError` for a truncated object or bad padding in any part.
    package func decrypt(object: [UInt8]) throws(TransferError) -> Data {
        guard object.count >= 16, object.count.isMultiple(of: 16) else {
            throw TransferError(path: path, reason: .truncatedCiphertext(length: Int64(object.count)))
        }
        var plaintext = Data()
        var index: UInt64 = 0
        var offset = 0
        while offset < object.count {
            let end = min(offset + encryptedPartSize, object.count)
            plaintext += try decrypt(part: index, Array(object[offset..<end]))
            offset = end
            index += 1
        }
        return plaintext
    }
}

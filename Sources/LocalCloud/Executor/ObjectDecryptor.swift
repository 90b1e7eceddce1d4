import Foundation
import InterlinkCore
import InterlinkCrypto
import InterlinkTransfer

/// Decrypts a stored object file (v0, v2 or v1) into a plaintext sink, streaming, and checks the
/// plaintext's size and SHA-512 against the file record.
package enum ObjectDecryptor {
    /// The read granule: 1 MiB, a multiple of 16.
    static let chunkSize = 1 << 20

    /// Decrypts `objectPath` into `sink`.
    ///
    /// The sink receives plaintext before the checksum is known: write into a temporary place and use it only
    /// when this returns.
    ///
    /// - Parameters:
    ///   - objectPath: The encrypted object.
    ///   - key: The data key.
    ///   - format: The object's format with its IV (or v1 file id) and part size.
    ///   - decryptedSize: The expected plaintext size.
    ///   - sha512: The expected lowercase hex SHA-512; nil skips the comparison.
    ///   - sink: Where the plaintext goes.
    /// - Returns: The SHA-512 of the plaintext, lowercase hex.
    /// - Throws: `TransferError` for unreadable, truncated or wrongly keyed objects and for size or checksum
    ///   mismatches.
    @discardableResult
    package static func decrypt(
        objectPath: String,
        key: EncryptionKey,
        format: ObjectFormat,
        decryptedSize: Int64,
        sha512: String?,
        into sink: any ByteSink
    ) throws(TransferError) -> String {
        let source = try FileSource(path: objectPath)
        guard source.size >= 16, source.size.isMultiple(of: 16) else {
            throw TransferError(path: objectPath, reason: .truncatedCiphertext(length: source.size))
        }
        // Every format piece by piece, decrypted in the read buffer: a v1 part (up to 64 MiB) is never held whole.
        var decryptor = format.streamDecryptor(key: key, objectSize: source.size, path: objectPath)
        var remaining = source.size
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        while remaining > 0 {
            let wanted = Int(min(Int64(chunkSize), remaining))
            let piece = UnsafeMutableRawBufferPointer(rebasing: buffer[..<wanted])
            let count = try source.readFully(into: piece)
            guard count == wanted else {
                throw TransferError(
                    path: source.path,
                    reason: .fileChanged(expected: source.size, actual: source.size - remaining + Int64(count))
                )
            }
            remaining -= Int64(count)
            let plaintext = try decryptor.decrypt(inPlace: piece, isFinal: remaining == 0)
            try sink.write(UnsafeRawBufferPointer(rebasing: piece[..<plaintext]))
        }
        try decryptor.verify(decryptedSize: decryptedSize, sha512: sha512)
        return decryptor.sha512
    }
}

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
        switch format {
        case .v0(let iv), .v2(let iv, _):
            var decryptor = CBCStreamDecryptor(key: key, iv: iv, path: objectPath)
            try forEachPiece(of: source, size: chunkSize) { (piece: [UInt8], isFinal: Bool) throws(TransferError) in
                try write(try decryptor.decrypt(piece, isFinal: isFinal), to: sink)
            }
            try decryptor.verify(decryptedSize: decryptedSize, sha512: sha512)
            return decryptor.sha512
        case .v1(let fileID, let partSize):
            // Piece by piece like a chain: a part (up to 64 MiB) is never held whole.
            let parts = V1PartDecryptor(key: key, fileID: fileID, partSize: partSize, path: objectPath)
            var decryptor = V1StreamDecryptor(parts: parts, objectSize: source.size, path: objectPath)
            try forEachPiece(of: source, size: chunkSize) { (piece: [UInt8], _: Bool) throws(TransferError) in
                var plaintext = piece
                let result = plaintext.withUnsafeMutableBytes { bytes in
                    Result { () throws(TransferError) in
                        let count = try decryptor.decrypt(inPlace: bytes)
                        try sink.write(UnsafeRawBufferPointer(rebasing: bytes[..<count]))
                    }
                }
                try result.get()
            }
            try decryptor.verify(decryptedSize: decryptedSize, sha512: sha512)
            return decryptor.sha512
        }
    }

    /// Reads `source` in pieces of `size` bytes (the last one shorter), telling the body which piece is final.
    private static func forEachPiece(
        of source: FileSource,
        size: Int,
        _ body: ([UInt8], Bool) throws(TransferError) -> Void
    ) throws(TransferError) {
        var remaining = source.size
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        defer { buffer.deallocate() }
        while remaining > 0 {
            let wanted = Int(min(Int64(size), remaining))
            let count = try source.readFully(into: UnsafeMutableRawBufferPointer(rebasing: buffer[..<wanted]))
            guard count == wanted else {
                throw TransferError(
                    path: source.path,
                    reason: .fileChanged(expected: source.size, actual: source.size - remaining + Int64(count))
                )
            }
            remaining -= Int64(count)
            try body(Array(buffer[..<count]), remaining == 0)
        }
    }

    private static func write(_ data: Data, to sink: any ByteSink) throws(TransferError) {
        let bytes = [UInt8](data)
        let result: Result<Void, TransferError> = bytes.withUnsafeBytes { buffer in
            Result { () throws(TransferError) in try sink.write(buffer) }
        }
        try result.get()
    }
}

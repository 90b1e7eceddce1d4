import Foundation

/// How a stored object is encrypted, detected from its metadata.
package enum ObjectFormat: Hashable, Sendable {
    /// Whole-file CBC; no part size.
    case v0(iv: CipherBlock)
    /// Chained streaming CBC (byte-identical to v0); the part size when the metadata has a valid one.
    case v2(iv: CipherBlock, partSize: Int?)
    /// HKDF per part; read only.
    case v1(fileID: [UInt8], partSize: Int)

    /// The largest v1 `partsize` read: 5 GiB, S3's largest part.
    package static let largestV1PartSize = 5 << 30

    /// Detects the format.
    ///
    /// - Parameters:
    ///   - metadata: The object's user metadata without the `x-amz-meta-` / `x-ms-meta-` prefix; names are matched
    ///     case-insensitively.
    ///   - recordIV: The file record's `iv`, used only when the metadata has none.
    ///   - path: The object, for error messages.
    /// - Returns: The format with its IV or file id and part size.
    /// - Throws: `TransferError` with `.invalidMetadata` for v1 without a valid `fileid` or `partsize`, or when no
    ///   IV can be found for v0/v2.
    package static func detect(metadata: [String: String], recordIV: String?, path: String) throws(TransferError)
        -> ObjectFormat
    {
        var lowered: [String: String] = [:]
        for (name, value) in metadata { lowered[name.lowercased()] = value.trimmingCharacters(in: .whitespaces) }
        if lowered["formatversion"] == "1" {
            guard let text = lowered["fileid"], let fileID = Data(base64Encoded: text), fileID.count == 32 else {
                throw TransferError(path: path, reason: .invalidMetadata("v1 object without a valid 'fileid'"))
            }
            // A part is one upload part, so no larger than S3's largest (5 GiB); a larger value is damage, and would
            // overflow the part arithmetic.
            guard let size = lowered["partsize"].flatMap(Int.init), size > 0, size <= Self.largestV1PartSize else {
                throw TransferError(path: path, reason: .invalidMetadata("v1 object without a valid 'partsize'"))
            }
            return .v1(fileID: Array(fileID), partSize: size)
        }
        let metadataIV = lowered["iv"].flatMap { try? CipherBlock(base64: $0) }
        let iv = metadataIV ?? recordIV.flatMap { try? CipherBlock(base64: $0) }
        guard let iv else {
            throw TransferError(path: path, reason: .invalidMetadata("no IV in the object metadata or the file record"))
        }
        if lowered["streamingformat"]?.lowercased() == "cbc" {
            let size = lowered["partsize"].flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil }
            return .v2(iv: iv, partSize: size)
        }
        return .v0(iv: iv)
    }
}

/// The 32-byte key check before a large download.
package enum KeyProbe {
    /// The byte range to fetch for the probe of an object of `encryptedSize` bytes: the last 32, or all of it.
    package static func range(encryptedSize: Int64) -> Range<Int64> {
        max(0, encryptedSize - 32)..<encryptedSize
    }

    /// Checks that the key decrypts the final block to valid PKCS#7 padding.
    ///
    /// - Parameters:
    ///   - tail: The bytes of ``range(encryptedSize:)``: the last 32 bytes, or the whole object when shorter.
    ///   - encryptedSize: E.
    ///   - key: The key to check.
    ///   - iv: The object IV (used when E < 32).
    ///   - path: The object, for error messages.
    /// - Throws: `TransferError` with `.truncatedCiphertext` or `.wrongKey`.
    package static func check(
        tail: [UInt8],
        encryptedSize: Int64,
        key: EncryptionKey,
        iv: CipherBlock,
        path: String
    ) throws(TransferError) {
        guard encryptedSize >= 16, encryptedSize.isMultiple(of: 16), Int64(tail.count) == min(32, encryptedSize) else {
            throw TransferError(path: path, reason: .truncatedCiphertext(length: encryptedSize))
        }
        let startBlock = tail.count == 32 ? try CipherBlock(bytes: tail[0..<16]) : iv
        var chain = CBCChain(key: key, iv: startBlock)
        var plain = Data()
        tail.suffix(16).withUnsafeBytes { chain.decrypt($0, appendingTo: &plain) }
        do {
            _ = try PKCS7.paddingLength(of: plain, path: path)
        } catch {
            throw TransferError(path: path, reason: .wrongKey)
        }
    }
}

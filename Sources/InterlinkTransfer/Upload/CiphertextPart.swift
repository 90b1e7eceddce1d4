import Foundation

/// One ciphertext part for the storage clients: S3 part `number`, or Azure block `number - 1`.
package struct CiphertextPart: Sendable {
    /// The 1-based part number.
    package var number: Int
    /// The ciphertext: exactly the part size S, except the last part (which carries the PKCS#7 padding).
    package var bytes: Data
    /// The plaintext bytes this part encrypts.
    package var plaintextRange: Range<Int64>
    /// The chaining state after this part; journal it with the part's ETag or block id to resume.
    package var checkpoint: ChainCheckpoint
    /// Whether this is the last part.
    package var isLast: Bool
}

/// What an upload produced, known once the last part has been handed out.
package struct UploadSummary: Hashable, Sendable {
    /// P: plaintext bytes (`decryptedSize`).
    package var plaintextSize: Int64
    /// E: ciphertext bytes, 16 × (⌊P/16⌋ + 1).
    package var ciphertextSize: Int64
    /// The number of parts N.
    package var partCount: Int
    /// SHA-512 of the plaintext, 128 lowercase hex characters (`fileChecksums[].fileHash`).
    package var sha512: String
}

/// The v2 object metadata for an upload: lower-case names, without the `x-amz-meta-` or
/// `x-ms-meta-` prefix.
package struct UploadMetadata: Hashable, Sendable {
    /// IV0.
    package var iv: CipherBlock
    /// The part size S in bytes.
    package var partSize: Int

    /// The metadata pairs: `iv`, `streamingformat` = `cbc`, `partsize`.
    package var pairs: [String: String] {
        ["iv": iv.base64, "streamingformat": "cbc", "partsize": String(partSize)]
    }
}

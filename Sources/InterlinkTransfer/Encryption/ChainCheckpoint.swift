/// The state of a v2 encryption or decryption stream at a part boundary: enough to resume it, and, for uploads,
/// the proof that a regenerated stream is the same one.
///
/// The last ciphertext block depends on every plaintext byte before the boundary and on the secret key, so a
/// regenerated stream whose block at the boundary equals the checkpoint's encrypted the same data.
package struct ChainCheckpoint: Hashable, Sendable, Codable {
    /// Parts completed before this boundary (0 at the start).
    package var partIndex: Int
    /// Plaintext bytes before the boundary.
    package var plaintextOffset: Int64
    /// Ciphertext bytes before the boundary; equals `plaintextOffset` except after the final, padded part.
    package var ciphertextOffset: Int64
    /// The IV for the next block: the initial IV at offset 0, else the last ciphertext block before the boundary.
    package var lastCiphertextBlock: CipherBlock

    /// Creates a checkpoint.
    package init(partIndex: Int, plaintextOffset: Int64, ciphertextOffset: Int64, lastCiphertextBlock: CipherBlock) {
        self.partIndex = partIndex
        self.plaintextOffset = plaintextOffset
        self.ciphertextOffset = ciphertextOffset
        self.lastCiphertextBlock = lastCiphertextBlock
    }
}

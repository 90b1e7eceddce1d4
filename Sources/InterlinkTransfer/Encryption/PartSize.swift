/// The upload part size S chosen from the plaintext size, and the size limits that follow.
package enum PartSize {
    /// One mebibyte.
    package static let mebibyte: Int64 = 1 << 20
    /// The most parts an S3 multipart upload may have.
    package static let maxParts: Int64 = 10_000

    /// S for a plaintext of `size` bytes: 16 MiB below 100 MiB, 32 MiB below 1 GiB, 48 MiB below 5 GiB, else 64 MiB.
    package static func forPlaintextSize(_ size: Int64) -> Int {
        switch size {
        case ..<(100 * mebibyte): Int(16 * mebibyte)
        case ..<(1024 * mebibyte): Int(32 * mebibyte)
        case ..<(5 * 1024 * mebibyte): Int(48 * mebibyte)
        default: Int(64 * mebibyte)
        }
    }

    /// The number of parts N = max(1, ceil(P / S)).
    package static func partCount(plaintextSize: Int64, partSize: Int) -> Int64 {
        max(1, (plaintextSize + Int64(partSize) - 1) / Int64(partSize))
    }

    /// The encrypted size E = 16 × (⌊P/16⌋ + 1).
    package static func encryptedSize(plaintextSize: Int64) -> Int64 { 16 * (plaintextSize / 16 + 1) }

    /// Refuses inputs that would need more than 10,000 parts (625 GiB at 64 MiB).
    ///
    /// - Throws: `TransferError` with reason `.tooLarge`.
    package static func checkLimit(plaintextSize: Int64, partSize: Int, path: String) throws(TransferError) {
        let parts = partCount(plaintextSize: plaintextSize + 16, partSize: partSize)
        guard parts <= maxParts else {
            throw TransferError(
                path: path,
                reason: .tooLarge(
                    "\(plaintextSize) bytes need \(parts) parts of \(partSize) bytes; the limit is \(maxParts)"
                )
            )
        }
    }
}

internal import CLibcrypto

/// A digest algorithm of the system libcrypto.
package enum DigestAlgorithm: Hashable, Sendable {
    /// MD5, 16 bytes.
    case md5
    /// SHA-256, 32 bytes.
    case sha256
    /// SHA-512, 64 bytes.
    case sha512

    /// The length of a digest in bytes.
    package var byteCount: Int {
        switch self {
        case .md5: 16
        case .sha256: 32
        case .sha512: 64
        }
    }

    /// libcrypto's `EVP_MD` for the algorithm (a static object; nothing to free).
    var evp: OpaquePointer {
        let digest: OpaquePointer? =
            switch self {
            case .md5: EVP_md5()
            case .sha256: EVP_sha256()
            case .sha512: EVP_sha512()
            }
        guard let digest else { preconditionFailure("libcrypto has no \(self) digest") }
        return digest
    }

    /// The digest of contiguous bytes in one call (`EVP_Digest`).
    ///
    /// - Parameter bytes: The whole message.
    /// - Returns: `byteCount` bytes.
    func digest(of bytes: UnsafeRawBufferPointer) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: byteCount)
        var length: UInt32 = 0
        let status = withNonNullBase(bytes) { base in
            digest.withUnsafeMutableBufferPointer { EVP_Digest(base, bytes.count, $0.baseAddress, &length, evp, nil) }
        }
        guard status == 1, Int(length) == byteCount else { preconditionFailure("EVP_Digest failed for \(self)") }
        return digest
    }
}

/// Calls `body` with a non-null address for `bytes`: libcrypto's one-shot calls reject a null pointer even
/// with a zero length, which is what an empty Swift buffer has.
///
/// - Parameters:
///   - bytes: The bytes.
///   - body: Receives their address, or the address of a dummy byte when `bytes` is empty.
/// - Returns: What `body` returns.
func withNonNullBase<Result>(
    _ bytes: UnsafeRawBufferPointer,
    _ body: (UnsafeRawPointer) -> Result
) -> Result {
    if let base = bytes.baseAddress { return body(base) }
    var dummy: UInt8 = 0
    return withUnsafeBytes(of: &dummy) { dummy in
        guard let base = dummy.baseAddress else { preconditionFailure("a local byte has an address") }
        return body(base)
    }
}

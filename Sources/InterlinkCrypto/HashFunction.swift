import Foundation

/// A message digest computed by the system libcrypto: SHA-256, SHA-512 or MD5.
///
/// A value type: copies are independent, so a hasher can be kept as a resume point and both copies fed
/// separately; `finalize()` does not end the hasher either. Digests are plain `[UInt8]`.
package protocol HashFunction: Sendable {
    /// The algorithm, which `HMAC` and `HKDF` use too.
    static var algorithm: DigestAlgorithm { get }

    /// A hasher that has seen no bytes.
    init()

    /// Hashes more bytes, straight from the caller's memory (no copy).
    ///
    /// - Parameter bytes: The next bytes of the message.
    mutating func update(bufferPointer bytes: UnsafeRawBufferPointer)

    /// The digest of everything hashed so far; the hasher itself can keep going.
    ///
    /// - Returns: `Self.algorithm.byteCount` bytes.
    func finalize() -> [UInt8]
}

extension HashFunction {
    /// Hashes more bytes.
    ///
    /// - Parameter data: The next bytes of the message, contiguous or not (each region is hashed in place).
    package mutating func update(data: some DataProtocol) {
        for region in data.regions { region.withUnsafeBytes { update(bufferPointer: $0) } }
    }

    /// The digest of `data` in one call.
    ///
    /// Contiguous data goes to libcrypto's one-shot `EVP_Digest`; other data is hashed region by region.
    ///
    /// - Parameter data: The whole message.
    /// - Returns: `Self.algorithm.byteCount` bytes.
    package static func hash(data: some DataProtocol) -> [UInt8] {
        if data.regions.count <= 1 {
            let region = data.regions.first
            guard let region else { return algorithm.digest(of: UnsafeRawBufferPointer(start: nil, count: 0)) }
            return region.withUnsafeBytes { algorithm.digest(of: $0) }
        }
        var hasher = Self()
        hasher.update(data: data)
        return hasher.finalize()
    }
}

/// SHA-256 (FIPS 180-4): content digests, SigV4 payload hashes and names derived from keys.
package struct SHA256: HashFunction {
    /// SHA-256.
    package static var algorithm: DigestAlgorithm { .sha256 }
    private var state = IncrementalDigest(.sha256)

    /// A hasher that has seen no bytes.
    package init() {}

    /// Hashes more bytes, straight from the caller's memory (no copy).
    ///
    /// - Parameter bytes: The next bytes of the message.
    package mutating func update(bufferPointer bytes: UnsafeRawBufferPointer) { state.update(bytes) }

    /// The 32-byte digest of everything hashed so far; the hasher itself can keep going.
    ///
    /// - Returns: 32 bytes.
    package func finalize() -> [UInt8] { state.finalize() }
}

/// SHA-512 (FIPS 180-4): the platform's file checksum, on the transfer pipeline's hot path.
package struct SHA512: HashFunction {
    /// SHA-512.
    package static var algorithm: DigestAlgorithm { .sha512 }
    private var state = IncrementalDigest(.sha512)

    /// A hasher that has seen no bytes.
    package init() {}

    /// Hashes more bytes, straight from the caller's memory (no copy).
    ///
    /// - Parameter bytes: The next bytes of the message.
    package mutating func update(bufferPointer bytes: UnsafeRawBufferPointer) { state.update(bytes) }

    /// The 64-byte digest of everything hashed so far; the hasher itself can keep going.
    ///
    /// - Returns: 64 bytes.
    package func finalize() -> [UInt8] { state.finalize() }
}

/// Digests that are no longer secure, kept for protocols that still name them.
package enum Insecure {
    /// MD5 (RFC 1321): S3 entity tags and Azure's `Content-MD5`, integrity checks only.
    package struct MD5: HashFunction {
        /// MD5.
        package static var algorithm: DigestAlgorithm { .md5 }
        private var state = IncrementalDigest(.md5)

        /// A hasher that has seen no bytes.
        package init() {}

        /// Hashes more bytes, straight from the caller's memory (no copy).
        ///
        /// - Parameter bytes: The next bytes of the message.
        package mutating func update(bufferPointer bytes: UnsafeRawBufferPointer) { state.update(bytes) }

        /// The 16-byte digest of everything hashed so far; the hasher itself can keep going.
        ///
        /// - Returns: 16 bytes.
        package func finalize() -> [UInt8] { state.finalize() }
    }
}

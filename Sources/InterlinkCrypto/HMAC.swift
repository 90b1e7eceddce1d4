internal import CLibcrypto
import Foundation

/// HMAC (RFC 2104) over one of the digests, computed by libcrypto's one-shot `HMAC()`.
///
/// Used for SigV4 request signing, Azure shared-key signatures and HKDF.
package enum HMAC<Hash: HashFunction> {
    /// The authentication code of `message` under `key`.
    ///
    /// - Parameters:
    ///   - message: The message; contiguous data is read in place, other data is gathered first.
    ///   - key: The key, of any length (longer than a block is hashed first, as RFC 2104 says).
    /// - Returns: `Hash.algorithm.byteCount` bytes.
    package static func authenticationCode(for message: some DataProtocol, using key: some DataProtocol) -> [UInt8] {
        withContiguousBytes(of: key) { key in
            withContiguousBytes(of: message) { message in
                authenticationCode(for: message, using: key)
            }
        }
    }

    private static func authenticationCode(
        for message: UnsafeRawBufferPointer,
        using key: UnsafeRawBufferPointer
    ) -> [UInt8] {
        guard let keyLength = Int32(exactly: key.count) else { preconditionFailure("an HMAC key is under 2 GiB") }
        let algorithm = Hash.algorithm
        var code = [UInt8](repeating: 0, count: algorithm.byteCount)
        var length: UInt32 = 0
        // An empty key is padded with zeros to a block, exactly like a one-byte zero key: libcrypto refuses an
        // empty one, so it gets the equivalent single zero byte.
        let zero: [UInt8] = [0]
        let result = zero.withUnsafeBytes { zero in
            withNonNullBase(message) { messageBase in
                code.withUnsafeMutableBufferPointer { output in
                    CLibcrypto.HMAC(
                        algorithm.evp,
                        key.isEmpty ? zero.baseAddress : key.baseAddress,
                        key.isEmpty ? 1 : keyLength,
                        messageBase.assumingMemoryBound(to: UInt8.self),
                        message.count,
                        output.baseAddress,
                        &length
                    )
                }
            }
        }
        guard result != nil, Int(length) == algorithm.byteCount else {
            preconditionFailure("libcrypto HMAC failed for \(algorithm)")
        }
        return code
    }
}

/// Calls `body` with the bytes of `data` in one buffer: in place when `data` is contiguous, else gathered.
///
/// - Parameters:
///   - data: The bytes.
///   - body: Receives them.
/// - Returns: What `body` returns.
func withContiguousBytes<Result>(
    of data: some DataProtocol,
    _ body: (UnsafeRawBufferPointer) -> Result
) -> Result {
    if data.regions.count == 1, let region = data.regions.first { return region.withUnsafeBytes(body) }
    return Array(data).withUnsafeBytes(body)
}

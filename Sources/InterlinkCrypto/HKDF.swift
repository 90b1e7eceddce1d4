import Foundation

/// HKDF (RFC 5869): extract-then-expand key derivation over HMAC.
///
/// Only the legacy v1 encryption format uses it (each part's key and IV come from HKDF-SHA256).
package enum HKDF<Hash: HashFunction> {
    /// Derives `outputByteCount` bytes of key material.
    ///
    /// - Parameters:
    ///   - inputKeyMaterial: The input keying material (IKM).
    ///   - salt: The salt; empty means `HashLen` zero bytes, as RFC 5869 §2.2 says.
    ///   - info: The context and application specific information.
    ///   - outputByteCount: L, at most 255 × `HashLen`.
    /// - Returns: The output keying material (OKM), `outputByteCount` bytes.
    package static func deriveKey(
        inputKeyMaterial: some DataProtocol,
        salt: some DataProtocol,
        info: some DataProtocol,
        outputByteCount: Int
    ) -> [UInt8] {
        let hashLength = Hash.algorithm.byteCount
        precondition((0...255 * hashLength).contains(outputByteCount), "HKDF yields at most 255 blocks")
        let saltBytes = salt.isEmpty ? [UInt8](repeating: 0, count: hashLength) : Array(salt)
        let pseudorandomKey = HMAC<Hash>.authenticationCode(for: inputKeyMaterial, using: saltBytes)
        let infoBytes = Array(info)
        var output: [UInt8] = []
        output.reserveCapacity(outputByteCount + hashLength)
        var block: [UInt8] = []
        var counter: UInt8 = 1
        while output.count < outputByteCount {
            block = HMAC<Hash>.authenticationCode(for: block + infoBytes + [counter], using: pseudorandomKey)
            output += block
            counter &+= 1
        }
        return Array(output.prefix(outputByteCount))
    }
}

/// A short, stable file name made from a text (a path, an upload's identity): two 64-bit FNV-1a hashes with
/// different offsets, in hex, joined by `-`.
///
/// A name, not a secret, and not collision-proof: use it only where a collision costs a cache miss or a restart,
/// never a wrong result.
package enum NameDigest {
    /// The digest of a text.
    ///
    /// - Parameter text: The text; its UTF-8 bytes are hashed.
    /// - Returns: Two hex numbers joined by `-`, at most 33 characters.
    package static func of(_ text: String) -> String {
        [UInt64(0xcbf2_9ce4_8422_2325), 0x8422_2325_cbf2_9ce4].map { offset in
            var hash = offset
            for byte in text.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
            return String(hash, radix: 16)
        }.joined(separator: "-")
    }
}

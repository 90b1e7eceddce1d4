import Crypto
import Foundation
import _CryptoExtras

/// AES-256-CBC without padding, carrying the chaining value from call to call, so a stream encrypted in any
/// 16-byte-aligned pieces equals one whole-file CBC computation.
package struct CBCChain: Sendable {
    private let key: SymmetricKey
    /// The IV for the next block: the initial IV, then the last ciphertext block produced or consumed.
    package private(set) var chainingBlock: CipherBlock

    /// Starts a chain.
    ///
    /// - Parameters:
    ///   - key: The AES-256 key.
    ///   - iv: The IV, or the previous ciphertext block when resuming mid-stream.
    package init(key: EncryptionKey, iv: CipherBlock) {
        self.key = key.symmetricKey
        chainingBlock = iv
    }

    /// Encrypts whole blocks and appends the ciphertext to `output`.
    ///
    /// - Parameters:
    ///   - plaintext: A multiple of 16 bytes.
    ///   - output: Receives exactly `plaintext.count` bytes.
    package mutating func encrypt(_ plaintext: UnsafeRawBufferPointer, appendingTo output: inout Data) {
        precondition(plaintext.count.isMultiple(of: 16), "CBC without padding takes whole blocks")
        guard let base = plaintext.baseAddress, !plaintext.isEmpty else { return }
        // Slices of 64 KiB keep swift-crypto's per-call buffers small (heap-allocated and cache-resident instead of
        // fresh zeroed pages), and wrapping our memory as Data without copying spares its input copy.
        var offset = 0
        while offset < plaintext.count {
            let count = min(Self.slice, plaintext.count - offset)
            let input = Data(
                bytesNoCopy: UnsafeMutableRawPointer(mutating: base + offset),
                count: count,
                deallocator: .none
            )
            let ciphertext = run { iv throws in try AES._CBC.encrypt(input, using: key, iv: iv, noPadding: true) }
            output.append(ciphertext)
            chainingBlock = Self.lastBlock(of: ciphertext)
            offset += count
        }
    }

    /// The most bytes handed to swift-crypto per call.
    private static let slice = 1 << 16

    /// Decrypts whole blocks and appends the plaintext to `output` (no padding is removed).
    ///
    /// - Parameters:
    ///   - ciphertext: A multiple of 16 bytes.
    ///   - output: Receives exactly `ciphertext.count` bytes.
    package mutating func decrypt(_ ciphertext: UnsafeRawBufferPointer, appendingTo output: inout Data) {
        precondition(ciphertext.count.isMultiple(of: 16), "CBC without padding takes whole blocks")
        guard !ciphertext.isEmpty else { return }
        let plaintext = run { iv throws in try AES._CBC.decrypt(ciphertext, using: key, iv: iv, noPadding: true) }
        output.append(plaintext)
        chainingBlock = Self.lastBlock(of: UnsafeRawBufferPointer(rebasing: ciphertext[(ciphertext.count - 16)...]))
    }

    /// Runs swift-crypto with the current chaining value.
    ///
    /// It throws only for a wrong key size or unaligned input,
    /// which the types and preconditions above rule out.
    private func run(_ body: (AES._CBC.IV) throws -> Data) -> Data {
        do {
            return try body(AES._CBC.IV(ivBytes: chainingBlock.bytes))
        } catch {
            preconditionFailure("AES-CBC rejected a 32-byte key or aligned input: \(error)")
        }
    }

    private static func lastBlock(of bytes: some DataProtocol) -> CipherBlock {
        guard let block = try? CipherBlock(bytes: bytes.suffix(16)) else { preconditionFailure("a block is 16 bytes") }
        return block
    }
}

/// PKCS#7 padding to 16-byte blocks, applied and removed by us on the final part only (platform.md §5.1).
package enum PKCS7 {
    /// The padding bytes for a message of `length` bytes: 1–16 bytes, each equal to the count.
    package static func padding(forLength length: Int) -> [UInt8] {
        let count = 16 - length % 16
        return [UInt8](repeating: UInt8(count), count: count)
    }

    /// How many padding bytes end `lastBlock`, checked strictly: 1 ≤ p ≤ 16 and the last p bytes all equal p.
    ///
    /// - Throws: `TransferError` with reason `.invalidPadding`.
    package static func paddingLength(of lastBlock: some Collection<UInt8>, path: String) throws(TransferError) -> Int {
        guard lastBlock.count == 16, let last = lastBlock.reversed().first, (1...16).contains(last) else {
            throw TransferError(path: path, reason: .invalidPadding)
        }
        var mismatch: UInt8 = 0
        for byte in lastBlock.suffix(Int(last)) { mismatch |= byte ^ last }
        guard mismatch == 0 else { throw TransferError(path: path, reason: .invalidPadding) }
        return Int(last)
    }
}

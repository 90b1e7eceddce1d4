import CLibcrypto
import Foundation

/// AES-256-CBC without padding, carrying the chaining value from call to call, so a stream encrypted in any
/// 16-byte-aligned pieces equals one whole-file CBC computation.
///
/// The cipher is the system libcrypto's (`EVP_aes_256_cbc`, AES-NI), writing straight into the caller's buffer.
package struct CBCChain: Sendable {
    private let key: [UInt8]
    /// The IV for the next block: the initial IV, then the last ciphertext block produced or consumed.
    package private(set) var chainingBlock: CipherBlock

    /// Starts a chain.
    ///
    /// - Parameters:
    ///   - key: The AES-256 key.
    ///   - iv: The IV, or the previous ciphertext block when resuming mid-stream.
    package init(key: EncryptionKey, iv: CipherBlock) {
        self.key = key.bytes
        chainingBlock = iv
    }

    /// Encrypts whole blocks and appends the ciphertext to `output`.
    ///
    /// - Parameters:
    ///   - plaintext: A multiple of 16 bytes.
    ///   - output: Receives exactly `plaintext.count` bytes.
    package mutating func encrypt(_ plaintext: UnsafeRawBufferPointer, appendingTo output: inout Data) {
        let start = output.count
        output.count += plaintext.count
        output.withUnsafeMutableBytes { buffer in
            encrypt(plaintext, into: UnsafeMutableRawBufferPointer(rebasing: buffer[start...]))
        }
    }

    /// Encrypts whole blocks into memory the caller owns.
    ///
    /// - Parameters:
    ///   - plaintext: A multiple of 16 bytes.
    ///   - destination: At least `plaintext.count` bytes; receives exactly that many, from its start.
    package mutating func encrypt(
        _ plaintext: UnsafeRawBufferPointer,
        into destination: UnsafeMutableRawBufferPointer
    ) {
        precondition(plaintext.count.isMultiple(of: 16), "CBC without padding takes whole blocks")
        precondition(destination.count >= plaintext.count, "the destination holds the ciphertext")
        guard !plaintext.isEmpty else { return }
        transform(plaintext, encrypting: true, into: destination)
        chainingBlock = Self.lastBlock(of: UnsafeRawBufferPointer(rebasing: destination[..<plaintext.count]))
    }

    /// Decrypts whole blocks and appends the plaintext to `output` (no padding is removed).
    ///
    /// - Parameters:
    ///   - ciphertext: A multiple of 16 bytes.
    ///   - output: Receives exactly `ciphertext.count` bytes.
    package mutating func decrypt(_ ciphertext: UnsafeRawBufferPointer, appendingTo output: inout Data) {
        precondition(ciphertext.count.isMultiple(of: 16), "CBC without padding takes whole blocks")
        guard !ciphertext.isEmpty else { return }
        let last = Self.lastBlock(of: ciphertext)
        let start = output.count
        output.count += ciphertext.count
        output.withUnsafeMutableBytes { buffer in
            transform(ciphertext, encrypting: false, into: UnsafeMutableRawBufferPointer(rebasing: buffer[start...]))
        }
        chainingBlock = last
    }

    /// Decrypts whole blocks where they are, writing the plaintext over the ciphertext (no padding is removed).
    ///
    /// - Parameter bytes: A multiple of 16 bytes of ciphertext; holds the plaintext afterwards.
    package mutating func decrypt(inPlace bytes: UnsafeMutableRawBufferPointer) {
        precondition(bytes.count.isMultiple(of: 16), "CBC without padding takes whole blocks")
        guard !bytes.isEmpty else { return }
        // Taken before the pass overwrites it: the next piece chains from the last ciphertext block.
        let last = Self.lastBlock(of: UnsafeRawBufferPointer(bytes))
        // libcrypto decrypts in place when input and output are exactly the same memory.
        transform(UnsafeRawBufferPointer(bytes), encrypting: false, into: bytes)
        chainingBlock = last
    }

    /// Runs one libcrypto CBC pass from the current chaining value, writing exactly `input.count` bytes.
    ///
    /// libcrypto fails only for allocation failure or a wrong key size, which the types rule out.
    private func transform(
        _ input: UnsafeRawBufferPointer,
        encrypting: Bool,
        into output: UnsafeMutableRawBufferPointer
    ) {
        guard let source = input.baseAddress, let destination = output.baseAddress, let context = EVP_CIPHER_CTX_new()
        else {
            preconditionFailure("libcrypto could not allocate a cipher context")
        }
        defer { EVP_CIPHER_CTX_free(context) }
        let started = key.withUnsafeBytes { keyBytes in
            chainingBlock.bytes.withUnsafeBytes { ivBytes in
                EVP_CipherInit_ex(
                    context,
                    EVP_aes_256_cbc(),
                    nil,
                    keyBytes.baseAddress?.assumingMemoryBound(to: UInt8.self),
                    ivBytes.baseAddress,
                    encrypting ? 1 : 0
                )
            }
        }
        guard started == 1, EVP_CIPHER_CTX_set_padding(context, 0) == 1 else {
            preconditionFailure("libcrypto rejected a 32-byte AES key")
        }
        var offset = 0
        while offset < input.count {
            let count = min(Self.slice, input.count - offset)
            var produced: Int32 = 0
            let status = EVP_CipherUpdate(
                context,
                (destination + offset).assumingMemoryBound(to: UInt8.self),
                &produced,
                (source + offset).assumingMemoryBound(to: UInt8.self),
                Int32(count)
            )
            guard status == 1, Int(produced) == count else {
                preconditionFailure("libcrypto CBC did not process whole blocks")
            }
            offset += count
        }
    }

    /// The most bytes handed to libcrypto per call (its lengths are 32-bit).
    private static let slice = 1 << 30

    private static func lastBlock(of bytes: UnsafeRawBufferPointer) -> CipherBlock {
        guard let block = try? CipherBlock(bytes: bytes.suffix(16)) else { preconditionFailure("a block is 16 bytes") }
        return block
    }
}

/// PKCS#7 padding to 16-byte blocks, applied and removed by us on the final part only.
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

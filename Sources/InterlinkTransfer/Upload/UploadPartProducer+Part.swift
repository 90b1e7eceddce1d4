import Foundation
import InterlinkCrypto

/// A chunk of memory handed to the hashing child task.
///
/// `@unchecked Sendable`: the producer does not write to or free the region until it has awaited the child that
/// reads it, so the child has exclusive read access while it runs.
private struct ChunkView: @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer
}

extension UploadPartProducer {
    /// Reads, hashes and encrypts one part of S plaintext bytes (fewer in the last part).
    ///
    /// - Parameter emit: When given, the part is not gathered: each encrypted chunk is handed to `emit` as soon as it
    ///   is ready (the view is valid only during the call) and the returned part's bytes are empty.
    /// - Returns: The part.
    /// - Throws: `TransferError` when the source fails.
    func producePart(emit: ChunkEmitter? = nil) async throws(TransferError) -> CiphertextPart {
        if !started {
            started = true
            lookaheadCount = try source.readFully(into: UnsafeMutableRawBufferPointer(rebasing: next[..<chunkSize]))
        }
        let partStart = plaintextOffset
        let output = emit == nil ? parts.take() : scratch
        // Where the next ciphertext goes in `output`: it stays 0 when chunks are emitted as they are made.
        var outputOffset = 0
        var written = 0
        var inPart = 0
        var isLast = false
        while true {
            swap(&current, &next)
            let count = lookaheadCount
            let chunkIsShort = count < min(chunkSize, partSize - inPart)
            inPart += count
            let view = ChunkView(bytes: UnsafeRawBufferPointer(rebasing: current[..<count]))
            let running = hasher
            let hashing = hashes
            async let hashed = Self.hash(running, view, enabled: hashing)
            let aligned = chunkIsShort ? count - count % 16 : count
            chain.encrypt(
                UnsafeRawBufferPointer(rebasing: current[..<aligned]),
                into: UnsafeMutableRawBufferPointer(rebasing: output[outputOffset...])
            )
            written += aligned
            if let emit {
                await emit.send(UnsafeRawBufferPointer(rebasing: output[..<aligned]))
            } else {
                outputOffset += aligned
            }
            var failure: TransferError?
            if chunkIsShort {
                lookaheadCount = 0
            } else {
                let wanted = inPart == partSize ? min(chunkSize, partSize) : min(chunkSize, partSize - inPart)
                do {
                    lookaheadCount = try source.readFully(
                        into: UnsafeMutableRawBufferPointer(rebasing: next[..<wanted])
                    )
                } catch {
                    failure = error
                }
            }
            hasher = await hashed
            if let failure {
                if emit == nil, let base = output.baseAddress { parts.recycle(base) }
                throw failure
            }
            if chunkIsShort || lookaheadCount == 0 {
                isLast = true
                var tail = Array(current[aligned..<count])
                tail += PKCS7.padding(forLength: tail.count)
                tail.withUnsafeBytes {
                    chain.encrypt($0, into: UnsafeMutableRawBufferPointer(rebasing: output[outputOffset...]))
                }
                written += tail.count
                await emit?.send(UnsafeRawBufferPointer(rebasing: output[..<tail.count]))
                break
            }
            if inPart == partSize { break }
        }
        partIndex += 1
        plaintextOffset += Int64(inPart)
        ciphertextOffset += Int64(written)
        precondition(isLast || written == partSize, "a non-final part has exactly S bytes")
        let checkpoint = ChainCheckpoint(
            partIndex: partIndex,
            plaintextOffset: plaintextOffset,
            ciphertextOffset: ciphertextOffset,
            lastCiphertextBlock: chain.chainingBlock
        )
        if isLast {
            finished = true
            summary = UploadSummary(
                plaintextSize: plaintextOffset,
                ciphertextSize: ciphertextOffset,
                partCount: partIndex,
                sha512: Hex.encode(hasher.finalize())
            )
        }
        return CiphertextPart(
            number: partIndex,
            bytes: emit == nil ? parts.wrap(output, count: written) : Data(),
            plaintextRange: partStart..<plaintextOffset,
            checkpoint: checkpoint,
            isLast: isLast
        )
    }

    private static func hash(_ hasher: SHA512, _ view: ChunkView, enabled: Bool) async -> SHA512 {
        var hasher = hasher
        if enabled { hasher.update(bufferPointer: view.bytes) }
        return hasher
    }
}

/// Receives the ciphertext of a streamed part chunk by chunk, in order.
package struct ChunkEmitter: Sendable {
    /// Takes one chunk; the view is valid only during the call, so it must copy what it keeps.
    package let send: @Sendable (UnsafeRawBufferPointer) async -> Void

    /// Creates an emitter.
    ///
    /// - Parameter send: Takes one chunk, copying it, and may wait (backpressure).
    package init(_ send: @escaping @Sendable (UnsafeRawBufferPointer) async -> Void) {
        self.send = send
    }
}

import Foundation
import InterlinkCrypto

extension UploadPartProducer {
    /// Reads, hashes and encrypts one part of S plaintext bytes (fewer in the last part).
    ///
    /// Each chunk is handed to the hashing thread (``ChunkHasher``) as soon as it is read, and its slot comes back
    /// once hashed; the encryption reads the same chunk meanwhile (both only read it). The hashing is not waited for
    /// at a part boundary: the chunks it has not reached are hashed while the next part is encrypted, and only the
    /// last part waits for it to finish.
    ///
    /// - Parameter emit: When given, the part is not gathered: each encrypted chunk is handed to `emit` as soon as it
    ///   is ready (the view is valid only during the call) and the returned part's bytes are empty.
    /// - Returns: The part.
    /// - Throws: `TransferError` when the source fails, or `.cancelled` when the task is cancelled mid-part.
    func producePart(emit: ChunkEmitter? = nil) async throws(TransferError) -> CiphertextPart {
        if !started {
            started = true
            lookaheadCount = try source.readFully(
                into: UnsafeMutableRawBufferPointer(rebasing: slots[nextSlot][..<chunkSize])
            )
            freeSlots = (0..<Self.slotCount).filter { $0 != nextSlot }
            // An object of one short chunk is hashed here: a thread would cost more than the hash.
            if hashes, lookaheadCount == chunkSize {
                hashingThread = ChunkHasher(continuing: hasher, ring: ring)
                startedHashingThreads += 1
            }
        }
        let partStart = plaintextOffset
        let output = emit == nil ? parts.take() : scratch
        let end: PartEnd
        do throws(TransferError) {
            end = try await encryptPart(into: output, emit: emit)
        } catch {
            if emit == nil, let base = output.baseAddress { parts.recycle(base) }
            throw error
        }
        partIndex += 1
        plaintextOffset += Int64(end.plaintext)
        ciphertextOffset += Int64(end.written)
        precondition(end.isLast || end.written == partSize, "a non-final part has exactly S bytes")
        let checkpoint = ChainCheckpoint(
            partIndex: partIndex,
            plaintextOffset: plaintextOffset,
            ciphertextOffset: ciphertextOffset,
            lastCiphertextBlock: chain.chainingBlock
        )
        if end.isLast {
            if let hashingThread {
                let (drained, returned) = hashingThread.drain()
                hasher = drained
                freeSlots += returned
                hashingThread.stop()
                self.hashingThread = nil
            }
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
            bytes: emit == nil ? parts.wrap(output, count: end.written) : Data(),
            plaintextRange: partStart..<plaintextOffset,
            checkpoint: checkpoint,
            isLast: end.isLast
        )
    }

    /// How a part ended: its plaintext and ciphertext lengths, and whether it is the object's last.
    private struct PartEnd {
        var plaintext: Int
        var written: Int
        var isLast: Bool
    }

    /// Encrypts one part chunk by chunk, handing each chunk to the hashing thread (or hashing it here when there is
    /// none) and reading the next one ahead.
    ///
    /// - Parameters:
    ///   - output: Where the ciphertext goes (the part buffer, or the scratch chunk when emitting).
    ///   - emit: Takes each encrypted chunk when the part is streamed.
    /// - Returns: The part's lengths.
    /// - Throws: `TransferError` when the source fails, or `.cancelled` when the task is cancelled while the
    ///   encryption waits for a slot.
    private func encryptPart(
        into output: UnsafeMutableRawBufferPointer,
        emit: ChunkEmitter?
    ) async throws(TransferError) -> PartEnd {
        // Where the next ciphertext goes in `output`: it stays 0 when chunks are emitted as they are made.
        var outputOffset = 0
        var written = 0
        var inPart = 0
        while true {
            let slot = nextSlot
            let current = slots[slot]
            let count = lookaheadCount
            let chunkIsShort = count < min(chunkSize, partSize - inPart)
            inPart += count
            let chunk = UnsafeRawBufferPointer(rebasing: current[..<count])
            if let hashingThread {
                hashingThread.submit(ChunkView(bytes: chunk, slot: slot))
            } else if hashes {
                hasher.update(bufferPointer: chunk)
            }
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
            if hashingThread == nil { freeSlots.append(slot) }
            if chunkIsShort {
                lookaheadCount = 0
            } else {
                let wanted = inPart == partSize ? min(chunkSize, partSize) : min(chunkSize, partSize - inPart)
                if freeSlots.isEmpty, let hashingThread {
                    if Task.isCancelled { throw TransferError(path: path, reason: .cancelled) }
                    freeSlots.append(hashingThread.takeSlot())
                }
                nextSlot = freeSlots.removeLast()
                lookaheadCount = try source.readFully(
                    into: UnsafeMutableRawBufferPointer(rebasing: slots[nextSlot][..<wanted])
                )
            }
            if chunkIsShort || lookaheadCount == 0 {
                var tail = Array(current[aligned..<count])
                tail += PKCS7.padding(forLength: tail.count)
                tail.withUnsafeBytes {
                    chain.encrypt($0, into: UnsafeMutableRawBufferPointer(rebasing: output[outputOffset...]))
                }
                written += tail.count
                await emit?.send(UnsafeRawBufferPointer(rebasing: output[..<tail.count]))
                return PartEnd(plaintext: inPart, written: written, isLast: true)
            }
            if inPart == partSize { return PartEnd(plaintext: inPart, written: written, isLast: false) }
        }
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

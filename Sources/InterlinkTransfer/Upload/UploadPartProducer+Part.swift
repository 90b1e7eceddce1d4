import Foundation
import InterlinkCrypto

/// A chunk of memory handed to the hashing child task, and the ring slot it lies in.
///
/// `@unchecked Sendable`: the producer does not write to or free the region until the child has handed the slot back
/// (or has been awaited), so the child has exclusive read access while it hashes.
private struct ChunkView: @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer
    let slot: Int
}

extension UploadPartProducer {
    /// Reads, hashes and encrypts one part of S plaintext bytes (fewer in the last part).
    ///
    /// The hashing runs in a child task for the whole part: each chunk is queued to it as soon as it is read, and
    /// its slot comes back once hashed; the encryption reads the same chunk meanwhile (both only read it).
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
        }
        let partStart = plaintextOffset
        let output = emit == nil ? parts.take() : scratch
        let (chunks, queue) = AsyncStream.makeStream(of: ChunkView.self)
        let (returned, giveBack) = AsyncStream.makeStream(of: Int.self)
        let running = hasher
        async let hashed = Self.hash(running, chunks, giveBack)
        let end: PartEnd
        do throws(TransferError) {
            end = try await encryptPart(into: output, emit: emit, queue: hashes ? queue : nil, returned: returned)
        } catch {
            queue.finish()
            _ = await hashed
            if emit == nil, let base = output.baseAddress { parts.recycle(base) }
            throw error
        }
        queue.finish()
        let digest = await hashed
        // The hashing stops early only when the task is cancelled; its digest is then incomplete.
        if Task.isCancelled {
            if emit == nil, let base = output.baseAddress { parts.recycle(base) }
            throw TransferError(path: path, reason: .cancelled)
        }
        if hashes { hasher = digest }
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

    /// Encrypts one part chunk by chunk, queueing each chunk to the hashing task and reading the next one ahead.
    ///
    /// - Parameters:
    ///   - output: Where the ciphertext goes (the part buffer, or the scratch chunk when emitting).
    ///   - emit: Takes each encrypted chunk when the part is streamed.
    ///   - queue: The hashing task's input, or nil when nothing is hashed (a slot is then free once encrypted).
    ///   - returned: The slots the hashing task is done with.
    /// - Returns: The part's lengths.
    /// - Throws: `TransferError` when the source fails, or `.cancelled` when the hashing task stopped early.
    private func encryptPart(
        into output: UnsafeMutableRawBufferPointer,
        emit: ChunkEmitter?,
        queue: AsyncStream<ChunkView>.Continuation?,
        returned: AsyncStream<Int>
    ) async throws(TransferError) -> PartEnd {
        // Every slot but the read-ahead one is free when a part starts: the last part's hashing was awaited.
        var free = (0..<Self.slotCount).filter { $0 != nextSlot }
        var returnedSlots = returned.makeAsyncIterator()
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
            queue?.yield(ChunkView(bytes: UnsafeRawBufferPointer(rebasing: current[..<count]), slot: slot))
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
            if queue == nil { free.append(slot) }
            if chunkIsShort {
                lookaheadCount = 0
            } else {
                let wanted = inPart == partSize ? min(chunkSize, partSize) : min(chunkSize, partSize - inPart)
                if free.isEmpty {
                    guard let slot = await returnedSlots.next() else {
                        throw TransferError(path: path, reason: .cancelled)
                    }
                    free.append(slot)
                }
                nextSlot = free.removeLast()
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

    /// The hashing task: hashes the queued chunks in order and hands each slot back.
    ///
    /// - Returns: The running hash after the part's chunks; incomplete when the task was cancelled.
    private static func hash(
        _ hasher: SHA512,
        _ chunks: AsyncStream<ChunkView>,
        _ giveBack: AsyncStream<Int>.Continuation
    ) async -> SHA512 {
        var hasher = hasher
        for await chunk in chunks {
            hasher.update(bufferPointer: chunk.bytes)
            giveBack.yield(chunk.slot)
        }
        giveBack.finish()
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

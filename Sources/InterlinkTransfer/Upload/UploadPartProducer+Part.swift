import Foundation
import InterlinkCrypto
import Synchronization

/// A chunk of memory handed to the hashing child task, and the ring slot it lies in.
///
/// `@unchecked Sendable`: the producer does not write to or free the region until the child has handed the slot back
/// (or has been awaited), so the child has exclusive read access while it hashes.
private struct ChunkView: @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer
    let slot: Int
}

/// Tells the hashing task that the part is complete: it hashes no further chunk and hands the rest back unhashed.
private final class HashingStop: Sendable {
    let requested = Atomic(false)
}

extension UploadPartProducer {
    /// Reads, hashes and encrypts one part of S plaintext bytes (fewer in the last part).
    ///
    /// The hashing runs in a child task for the whole part: each chunk is queued to it as soon as it is read, and
    /// its slot comes back once hashed; the encryption reads the same chunk meanwhile (both only read it). When the
    /// part is encrypted the hashing stops after its current chunk (except in the last part): the chunks it has not
    /// reached stay in their slots and are hashed first in the next part, so the encryption does not wait for the
    /// hashing to catch up at every part boundary.
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
        let backlog = unhashed.map {
            ChunkView(bytes: UnsafeRawBufferPointer(rebasing: slots[$0.slot][..<$0.count]), slot: $0.slot)
        }
        let stop = HashingStop()
        async let hashed = Self.hash(running, backlog, chunks, giveBack, stop)
        let end: PartEnd
        do throws(TransferError) {
            end = try await encryptPart(
                into: output,
                emit: emit,
                queue: hashes ? queue : nil,
                returned: returned,
                busy: unhashed.map(\.slot)
            )
        } catch {
            queue.finish()
            _ = await hashed
            if emit == nil, let base = output.baseAddress { parts.recycle(base) }
            throw error
        }
        if !end.isLast { stop.requested.store(true, ordering: .relaxed) }
        queue.finish()
        let (digest, left) = await hashed
        // The hashing stops early only when the task is cancelled; its digest is then incomplete.
        if Task.isCancelled {
            if emit == nil, let base = output.baseAddress { parts.recycle(base) }
            throw TransferError(path: path, reason: .cancelled)
        }
        if hashes {
            hasher = digest
            unhashed = left.map { (slot: $0.slot, count: $0.bytes.count) }
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
    ///   - busy: The slots of the previous part's chunks still to be hashed.
    /// - Returns: The part's lengths.
    /// - Throws: `TransferError` when the source fails, or `.cancelled` when the hashing task stopped early.
    private func encryptPart(
        into output: UnsafeMutableRawBufferPointer,
        emit: ChunkEmitter?,
        queue: AsyncStream<ChunkView>.Continuation?,
        returned: AsyncStream<Int>,
        busy: [Int]
    ) async throws(TransferError) -> PartEnd {
        // When a part starts the slots are free but for the read-ahead one and those of the previous part's chunks
        // not hashed yet: its hashing task was awaited.
        var free = (0..<Self.slotCount).filter { $0 != nextSlot && !busy.contains($0) }
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

    /// The hashing task: hashes the previous part's leftover chunks, then the queued ones, in order, and hands each
    /// slot back, until `stop` is requested.
    ///
    /// - Returns: The running hash, and the chunks not hashed (in order) once `stop` was requested; the hash is
    ///   incomplete when the task was cancelled.
    private static func hash(
        _ hasher: SHA512,
        _ backlog: [ChunkView],
        _ chunks: AsyncStream<ChunkView>,
        _ giveBack: AsyncStream<Int>.Continuation,
        _ stop: HashingStop
    ) async -> (SHA512, [ChunkView]) {
        var hasher = hasher
        var left: [ChunkView] = []
        func take(_ chunk: ChunkView) {
            if left.isEmpty, !stop.requested.load(ordering: .relaxed) {
                hasher.update(bufferPointer: chunk.bytes)
                giveBack.yield(chunk.slot)
            } else {
                left.append(chunk)
            }
        }
        for chunk in backlog { take(chunk) }
        for await chunk in chunks { take(chunk) }
        giveBack.finish()
        return (hasher, left)
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

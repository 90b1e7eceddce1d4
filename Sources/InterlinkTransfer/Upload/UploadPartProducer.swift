import Foundation
import InterlinkCrypto
import InterlinkSystem

/// The upload pipeline's last stage: pulls plaintext from a ``ByteSource`` (tar, compressed tar, or a plain file),
/// hashes it with SHA-512 and encrypts it as v2 chained CBC, and hands out fixed-size
/// ciphertext parts, one per ``nextPart()`` call.
///
/// The object is byte-identical to a whole-file AES-256-CBC + PKCS#7 encryption with the same key and IV. Memory is
/// ``slotCount`` chunk buffers plus the part being filled (recycled from released parts, see ``PartBufferPool``);
/// nothing is written to disk. SHA-512 runs on another core, on a thread of its own that lives for the upload
/// (``ChunkHasher``) and takes the chunks through a queue, so it may lag the encryption by a few chunks instead of
/// meeting it after every chunk: each side waits only when the ring of chunk buffers is empty or full, and a stall
/// on one core (a preemption, a slow wake-up) does not stop the other.
///
/// For equal input bytes, key and IV the output is identical, which is how a resumed upload proves its input did
/// not change: created with `resumingFrom`, the producer regenerates (and hashes) the parts before the checkpoint
/// without handing them out, and fails with `.resumeMismatch` unless its chaining state at the boundary equals
/// the checkpoint's.
package final class UploadPartProducer {
    /// How many chunk buffers the producer cycles through: with the one being encrypted and the one read ahead,
    /// the hashing thread may hold up to two more.
    static let slotCount = 4

    /// The part size S.
    package let partSize: Int
    /// IV0 and S, for the object metadata.
    package let metadata: UploadMetadata
    let source: any ByteSource
    let path: String
    private let resumeCheckpoint: ChainCheckpoint?
    let chunkSize: Int
    var chain: CBCChain
    var hasher = SHA512()
    /// The ring of chunk buffers: one being encrypted, one read ahead, the rest queued for (or being) hashed.
    let slots: [UnsafeMutableRawBufferPointer]
    /// Owns the memory of `slots`, shared with the hashing thread so that it outlives the producer while the thread
    /// may still read a chunk.
    let ring: ChunkRing
    /// The slot holding the chunk read ahead (`lookaheadCount` bytes).
    var nextSlot = 0
    /// The slots free to read into: neither the one read ahead nor one whose chunk is with the hashing thread.
    var freeSlots: [Int] = []
    /// The SHA-512 stage, from the first part of an object longer than one chunk to its last part; nil when nothing
    /// is hashed (a replay) or the object is one chunk, hashed in place.
    var hashingThread: ChunkHasher?
    /// How many hashing threads this producer started: 0 or 1, for tests.
    var startedHashingThreads = 0
    /// Part-sized ciphertext buffers, reused once the consumer releases a part.
    let parts: PartBufferPool
    /// Where a streamed part's chunks are encrypted before they are emitted: one chunk plus the padding block.
    let scratch: UnsafeMutableRawBufferPointer
    /// Whether the plaintext is hashed; off for a replay, which regenerates a part already hashed.
    var hashes = true
    var lookaheadCount = 0
    var started = false
    var finished = false
    var partIndex = 0
    var plaintextOffset: Int64 = 0
    var ciphertextOffset: Int64 = 0
    /// Set once the last part has been handed out.
    package internal(set) var summary: UploadSummary?

    /// Creates a producer.
    ///
    /// - Parameters:
    ///   - source: The plaintext.
    ///   - key: The AES-256 key.
    ///   - iv: IV0.
    ///   - partSize: S, a positive multiple of 16 (and of `chunkSize` when larger than it).
    ///   - path: What the source is, for error messages.
    ///   - chunkSize: The read, hash and encrypt granule; a multiple of 16.
    ///   - checkpoint: Resume after this boundary instead of starting at part 1.
    package init(
        source: any ByteSource,
        key: EncryptionKey,
        iv: CipherBlock,
        partSize: Int,
        path: String,
        chunkSize: Int = 1 << 20,
        resumingFrom checkpoint: ChainCheckpoint? = nil
    ) {
        precondition(partSize > 0 && partSize.isMultiple(of: 16), "the part size is a positive multiple of 16")
        precondition(chunkSize > 0 && chunkSize.isMultiple(of: 16), "the chunk size is a positive multiple of 16")
        self.source = source
        self.partSize = partSize
        self.path = path
        self.chunkSize = min(chunkSize, partSize)
        resumeCheckpoint = checkpoint
        metadata = UploadMetadata(iv: iv, partSize: partSize)
        chain = CBCChain(key: key, iv: iv)
        parts = PartBufferPool(capacity: partSize + 16)
        ring = ChunkRing(count: Self.slotCount, size: self.chunkSize)
        slots = ring.slots
        scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: self.chunkSize + 16, alignment: 64)
    }

    /// Creates a producer that regenerates parts from a boundary without re-reading what lies before it.
    ///
    /// The source must already be positioned at the checkpoint's plaintext offset, and the chain continues from its
    /// last ciphertext block. It does not hash (the parts were hashed when first produced), so its summary has no use.
    ///
    /// - Parameters:
    ///   - source: The plaintext from the checkpoint's offset on.
    ///   - key: The AES-256 key.
    ///   - checkpoint: The boundary before the first part to produce.
    ///   - partSize: S.
    ///   - path: What the source is, for error messages.
    ///   - chunkSize: The read and encrypt granule.
    package convenience init(
        replaying source: any ByteSource,
        key: EncryptionKey,
        from checkpoint: ChainCheckpoint,
        partSize: Int,
        path: String,
        chunkSize: Int = 1 << 20
    ) {
        self.init(
            source: source,
            key: key,
            iv: checkpoint.lastCiphertextBlock,
            partSize: partSize,
            path: path,
            chunkSize: chunkSize
        )
        hashes = false
        partIndex = checkpoint.partIndex
        plaintextOffset = checkpoint.plaintextOffset
        ciphertextOffset = checkpoint.ciphertextOffset
    }

    deinit {
        // A part failed or was cancelled midway: the thread stops after its current chunk and frees the ring.
        hashingThread?.stop()
        scratch.deallocate()
    }

    /// Produces the next part chunk by chunk into `emit` instead of into a part buffer, so the part is streamed as
    /// it is made and memory does not grow with S.
    ///
    /// - Parameter emit: Takes each ciphertext chunk in order (copying it), and may wait for the socket.
    /// - Returns: The part's number, range and chain state (its `bytes` are empty), or nil after the last one.
    /// - Throws: As ``nextPart()``.
    package func nextPart(emit: ChunkEmitter) async throws(TransferError) -> CiphertextPart? {
        try await withTaskExecutorPreference(BlockingExecutor.shared) {
            () async throws(TransferError) -> CiphertextPart? in try await producePartAfterCheckpoint(emit: emit)
        }
    }

    /// The next ciphertext part, or nil after the last one.
    ///
    /// - Throws: `TransferError` when the source fails or changed (including `.resumeMismatch`), or `.cancelled` when
    ///   the task is cancelled (checked before each part).
    package func nextPart() async throws(TransferError) -> CiphertextPart? {
        // Reading, compressing, hashing and encrypting a part block a thread for its whole length: run them on the
        // blocking executor so that more uploads than cores cannot starve the cooperative pool.
        try await withTaskExecutorPreference(BlockingExecutor.shared) {
            () async throws(TransferError) -> CiphertextPart? in try await producePartAfterCheckpoint()
        }
    }

    private func producePartAfterCheckpoint(emit: ChunkEmitter? = nil) async throws(TransferError) -> CiphertextPart? {
        while !finished {
            if Task.isCancelled { throw TransferError(path: path, reason: .cancelled) }
            let skipping = resumeCheckpoint.map { partIndex < $0.partIndex } ?? false
            // A part regenerated only to reach the checkpoint is emitted nowhere (and not gathered when streaming).
            let part = try await producePart(emit: skipping ? emit.map { _ in ChunkEmitter { _ in } } : emit)
            if let resumeCheckpoint, part.number <= resumeCheckpoint.partIndex {
                if part.number == resumeCheckpoint.partIndex { try verify(part.checkpoint, against: resumeCheckpoint) }
                if part.isLast, part.number < resumeCheckpoint.partIndex { throw mismatch("the input is shorter") }
                continue
            }
            return part
        }
        return nil
    }

    private func verify(_ regenerated: ChainCheckpoint, against saved: ChainCheckpoint) throws(TransferError) {
        guard regenerated == saved else { throw mismatch("the input changed since the upload started") }
    }

    private func mismatch(_ text: String) -> TransferError {
        TransferError(path: path, reason: .resumeMismatch(text))
    }
}

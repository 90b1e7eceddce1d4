import Foundation
import InterlinkCrypto

/// A chunk of the producer's ring handed to the hashing thread: the bytes to hash and the slot they lie in.
///
/// `@unchecked Sendable`: the producer does not write to the region until the hasher has handed the slot back, and
/// the memory lives until both have let go of the ring (``ChunkRing``), so the hasher reads it undisturbed while it
/// hashes; the encryption only reads it meanwhile.
struct ChunkView: @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer
    let slot: Int
}

/// The producer's chunk buffers, freed when neither the producer nor its hashing thread holds them any more.
///
/// `@unchecked Sendable`: the buffers are written only by the producer, to slots the hasher has handed back; the
/// hasher only reads the slots it was handed (``ChunkView``).
final class ChunkRing: @unchecked Sendable {
    /// The buffers, each `size` bytes, 64-byte aligned.
    let slots: [UnsafeMutableRawBufferPointer]

    /// Allocates the buffers.
    ///
    /// - Parameters:
    ///   - count: How many.
    ///   - size: Each one's length in bytes.
    init(count: Int, size: Int) {
        slots = (0..<count).map { _ in UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 64) }
    }

    deinit {
        for slot in slots { slot.deallocate() }
    }
}

/// One upload's SHA-512 stage: a thread of its own that hashes the producer's plaintext chunks in the order they
/// are submitted, beside the encryption, and hands each chunk's slot back once hashed.
///
/// Why a thread of its own and not a child task: the two stages hand a chunk over about every millisecond. As tasks
/// on the shared blocking executor, each resumed on whichever of its threads was free, so every wake-up went to a
/// thread the kernel had last run on either core, and it often queued both stages on one core while the other sat
/// idle until its next balancing tick (measured on a 2-core VM: 76 idle gaps over 1 ms, 0.33 s of a 3.3 s run of
/// 2 GiB). A thread that only hashes keeps its identity, so the kernel wakes it where it last ran; the producer's
/// side waits for a slot without leaving its own thread either.
///
/// The hasher lives for the upload, across part boundaries: at the end of a part it keeps hashing the chunks it has
/// not reached while the next part is encrypted, and only the last part waits for it (``drain()``). ``stop()``
/// ends the thread without waiting (the producer's deinit may run anywhere); the thread holds the ring until it has
/// returned, so a chunk it is still hashing stays valid.
final class ChunkHasher: @unchecked Sendable {
    // @unchecked Sendable: `queue`, `head`, `done`, `hashing` and `stopping` are only read or written with
    // `condition` locked; `hasher` is updated by the thread alone, outside the lock, and read by the producer only
    // in `drain()` after the thread has reported (under the lock) that it has nothing left, which orders the two.
    private let condition = NSCondition()
    private var queue: [ChunkView] = []
    private var head = 0
    /// Slots hashed and not yet taken back by the producer.
    private var done: [Int] = []
    private var hashing = false
    private var stopping = false
    private var hasher: SHA512
    /// Kept alive while the thread runs.
    private let ring: ChunkRing

    /// Starts the thread.
    ///
    /// - Parameters:
    ///   - hasher: The running hash so far.
    ///   - ring: The buffers the submitted chunks lie in.
    ///   - name: The thread's name.
    init(continuing hasher: SHA512, ring: ChunkRing, name: String = "interlink-sha512") {
        self.hasher = hasher
        self.ring = ring
        let thread = Thread { [self] in run() }
        thread.name = name
        thread.start()
    }

    /// Hands a chunk to the thread; it is hashed after every chunk submitted before it.
    ///
    /// - Parameter chunk: The chunk; its slot must not be written until ``takeSlot()`` returns it.
    func submit(_ chunk: ChunkView) {
        condition.lock()
        queue.append(chunk)
        condition.broadcast()
        condition.unlock()
    }

    /// The slot of a hashed chunk, waiting for one when none is ready.
    ///
    /// - Returns: A slot the producer may write again.
    func takeSlot() -> Int {
        condition.lock()
        defer { condition.unlock() }
        while done.isEmpty {
            precondition(head < queue.count || hashing, "a slot is waited for while no chunk is with the hasher")
            condition.wait()
        }
        return done.removeLast()
    }

    /// Waits until every submitted chunk is hashed.
    ///
    /// - Returns: The running hash over every chunk submitted, and the slots not taken back.
    func drain() -> (hasher: SHA512, slots: [Int]) {
        condition.lock()
        defer { condition.unlock() }
        while head < queue.count || hashing { condition.wait() }
        let slots = done
        done.removeAll()
        return (hasher, slots)
    }

    /// How many of the ring's slots the hasher holds: chunks queued or being hashed, and slots not taken back.
    var heldCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return queue.count - head + (hashing ? 1 : 0) + done.count
    }

    /// Tells the thread to end after the chunk it is hashing, dropping the ones it has not reached; returns at once.
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    private func run() {
        condition.lock()
        while true {
            while head == queue.count, !stopping { condition.wait() }
            if stopping { break }
            let chunk = queue[head]
            head += 1
            if head == queue.count {
                queue.removeAll(keepingCapacity: true)
                head = 0
            }
            hashing = true
            condition.unlock()
            hasher.update(bufferPointer: chunk.bytes)
            condition.lock()
            hashing = false
            done.append(chunk.slot)
            condition.broadcast()
        }
        condition.unlock()
    }
}

import Foundation
import InterlinkCrypto
import Testing

@testable import InterlinkTransfer

/// The hashing thread on its own: order, hand-back and ending.
@Suite struct ChunkHasherTests {
    /// Chunks are hashed in the order they are submitted, whichever slots they lie in, and every slot comes back.
    @Test func hashesInSubmissionOrderAndHandsEverySlotBack() throws {
        let ring = ChunkRing(count: 4, size: 64 << 10)
        for (index, slot) in ring.slots.enumerated() {
            for offset in 0..<slot.count { slot[offset] = UInt8(truncatingIfNeeded: offset &* 7 &+ index &* 101) }
        }
        let order = [2, 0, 3, 1]
        let hasher = ChunkHasher(continuing: SHA512(), ring: ring)
        defer { hasher.stop() }
        // The last chunk is shorter, as an object's last chunk may be.
        let lengths = [64 << 10, 64 << 10, 64 << 10, 1000]
        var expected = SHA512()
        for (slot, length) in zip(order, lengths) {
            let bytes = UnsafeRawBufferPointer(rebasing: ring.slots[slot][..<length])
            expected.update(bufferPointer: bytes)
            hasher.submit(ChunkView(bytes: bytes, slot: slot))
        }
        let first = hasher.takeSlot()
        let (state, rest) = hasher.drain()
        #expect(Hex.encode(state.finalize()) == Hex.encode(expected.finalize()))
        #expect(Set([first] + rest) == Set(order), "every slot comes back once")
        #expect(rest.count == 3)
        #expect(hasher.heldCount == 0)
    }

    /// A hasher continues the running hash it is given (a producer's hash of what came before).
    @Test func continuesTheHashItIsGiven() throws {
        let ring = ChunkRing(count: 1, size: 16)
        ring.slots[0].copyBytes(from: Array("0123456789abcdef".utf8))
        var before = SHA512()
        before.update(bufferPointer: UnsafeRawBufferPointer(rebasing: ring.slots[0][..<5]))
        let hasher = ChunkHasher(continuing: before, ring: ring)
        defer { hasher.stop() }
        hasher.submit(ChunkView(bytes: UnsafeRawBufferPointer(ring.slots[0]), slot: 0))
        let (state, _) = hasher.drain()
        let whole = Array("01234".utf8) + Array("0123456789abcdef".utf8)
        #expect(Hex.encode(state.finalize()) == Hex.encode(SHA512.hash(data: whole)))
    }

    /// Stopped with chunks still queued, the thread ends and lets go of the ring, which is then freed.
    @Test func stoppedWithChunksQueuedTheThreadEndsAndTheRingIsFreed() async throws {
        weak var ringHeld: ChunkRing?
        weak var hasherHeld: ChunkHasher?
        do {
            let ring = ChunkRing(count: 4, size: 8 << 20)
            let hasher = ChunkHasher(continuing: SHA512(), ring: ring)
            for slot in 0..<4 { hasher.submit(ChunkView(bytes: UnsafeRawBufferPointer(ring.slots[slot]), slot: slot)) }
            hasher.stop()
            ringHeld = ring
            hasherHeld = hasher
        }
        let deadline = ContinuousClock.now + .seconds(10)
        while ringHeld != nil || hasherHeld != nil, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(hasherHeld == nil, "the thread ended")
        #expect(ringHeld == nil, "the ring was freed")
    }
}

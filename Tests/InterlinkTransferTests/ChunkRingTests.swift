import Foundation
import InterlinkCore
import InterlinkCrypto
import Testing

@testable import InterlinkTransfer

/// The producer's ring of chunk buffers, shared by the encryption and the hashing thread that lags it.
@Suite struct ChunkRingTests {
    /// Parts, checkpoints and the SHA-512 do not depend on the chunk size (from one AES block, many chunks per part
    /// and the ring wrapping thousands of times, to one chunk per part), and they decrypt to the plaintext: empty,
    /// exactly two parts (the padding makes the last part S + 16 bytes), and two parts and a bit.
    @Test(arguments: [0, 2 * 12_288, 2 * 12_288 + 777])
    func partsAndDigestAreTheSameForEveryChunkSize(plaintextSize: Int) async throws {
        let plaintext = patternBytes(plaintextSize, seed: 9)
        let digest = Hex.encode(SHA512.hash(data: plaintext))
        var reference: [CiphertextPart]?
        for chunkSize in [16, 48, 1024, 4096, 12_288] {
            let producer = UploadPartProducer(
                source: MemorySource(plaintext),
                key: try makeKey(),
                iv: try makeIV(),
                partSize: 12_288,
                path: "memory",
                chunkSize: chunkSize
            )
            let parts = try await collectParts(producer)
            let summary = try #require(producer.summary)
            #expect(summary.sha512 == digest, "chunk size \(chunkSize)")
            #expect(summary.plaintextSize == Int64(plaintextSize))
            #expect(parts.dropLast().allSatisfy { $0.bytes.count == 12_288 })
            if let reference {
                #expect(parts.map(\.bytes) == reference.map(\.bytes), "chunk size \(chunkSize)")
                #expect(parts.map(\.checkpoint) == reference.map(\.checkpoint), "chunk size \(chunkSize)")
            } else {
                var decryptor = CBCStreamDecryptor(key: try makeKey(), iv: try makeIV(), path: "memory")
                var decrypted: [UInt8] = []
                for part in parts { decrypted += try decryptor.decrypt(part.bytes, isFinal: part.isLast) }
                #expect(decrypted == plaintext)
                try decryptor.verify(decryptedSize: summary.plaintextSize, sha512: summary.sha512)
                reference = parts
            }
        }
    }

    /// Many chunks a part: the hashing thread, slower than AES here, lags by up to the ring's depth and goes on
    /// hashing across part boundaries; at every boundary each slot is accounted for (free, read ahead, or held by
    /// the hasher), and the last part waits for the hash and ends the thread.
    @Test func theHashingThreadCarriesItsLagAcrossPartBoundaries() async throws {
        let plaintext = patternBytes(2 << 20, seed: 4)
        let producer = UploadPartProducer(
            source: MemorySource(plaintext),
            key: try makeKey(),
            iv: try makeIV(),
            partSize: 256 << 10,
            path: "memory",
            chunkSize: 16 << 10
        )
        var decryptor = CBCStreamDecryptor(key: try makeKey(), iv: try makeIV(), path: "memory")
        var decrypted: [UInt8] = []
        var thread = WeakHasher()
        while let part = try await producer.nextPart() {
            if !part.isLast {
                let hasher = try #require(producer.hashingThread)
                thread.value = hasher
                #expect(producer.freeSlots.count + 1 + hasher.heldCount == UploadPartProducer.slotCount)
                #expect(!producer.freeSlots.contains(producer.nextSlot))
            }
            decrypted += try decryptor.decrypt(part.bytes, isFinal: part.isLast)
        }
        #expect(producer.hashingThread == nil)
        #expect(producer.freeSlots.count + 1 == UploadPartProducer.slotCount, "all but the read-ahead slot are free")
        #expect(try await ended(thread), "the hashing thread ends with the last part")
        #expect(decrypted == plaintext)
        #expect(producer.summary?.sha512 == Hex.encode(SHA512.hash(data: plaintext)))
    }

    /// An object shorter than one chunk is hashed in place: no thread is started for it.
    ///
    /// One of exactly a chunk starts one (its end is known only when the next read finds nothing), as does anything
    /// longer.
    @Test(arguments: [0, 1, 4095, 4096, 4097])
    func anObjectShorterThanAChunkIsHashedWithoutAThread(size: Int) async throws {
        let plaintext = patternBytes(size, seed: 2)
        let producer = UploadPartProducer(
            source: MemorySource(plaintext),
            key: try makeKey(),
            iv: try makeIV(),
            partSize: 1 << 20,
            path: "memory",
            chunkSize: 4096
        )
        let part = try #require(try await producer.nextPart())
        #expect(part.isLast)
        #expect(producer.startedHashingThreads == (size < 4096 ? 0 : 1))
        #expect(producer.hashingThread == nil)
        #expect(producer.summary?.sha512 == Hex.encode(SHA512.hash(data: plaintext)))
    }

    /// A task cancelled midway through a part stops at the next wait for a slot (every few chunks), throws
    /// `.cancelled`, and the producer's hashing thread ends with the producer, so an abandoned upload leaves no
    /// thread behind reading freed buffers.
    @Test func aCancelledPartStopsAndItsHashingThreadEnds() async throws {
        let (key, iv) = (try makeKey(), try makeIV())
        // A task of its own: the source cancels the task it reads in, which must not be the test's.
        let (outcome, thread) = await Task { () -> (TransferError?, WeakHasher) in
            let producer = UploadPartProducer(
                source: CancellingSource(size: 64 << 20, cancelAfterReads: 6),
                key: key,
                iv: iv,
                partSize: 32 << 20,
                path: "memory",
                chunkSize: 64 << 10
            )
            do throws(TransferError) {
                _ = try await producer.nextPart()
                return (nil, WeakHasher(value: producer.hashingThread))
            } catch {
                #expect(producer.partIndex == 0, "no part was handed out")
                return (error, WeakHasher(value: producer.hashingThread))
            }
        }.value
        #expect(outcome?.reason == .cancelled)
        #expect(try await ended(thread), "the hashing thread ends with its producer")
    }

    /// Whether a hashing thread, held weakly, has let go of its hasher within 10 s (the thread holds it strongly
    /// until it returns).
    private func ended(_ thread: WeakHasher) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(10)
        while thread.value != nil, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        return thread.value == nil
    }
}

/// A hashing thread held without keeping it alive.
private struct WeakHasher: Sendable {
    weak var value: ChunkHasher?
}

/// Pattern bytes that cancel the reading task after a number of reads, as Ctrl-C would midway through a part.
private final class CancellingSource: ByteSource {
    private var left: Int
    private var readsBeforeCancel: Int

    init(size: Int, cancelAfterReads: Int) {
        left = size
        readsBeforeCancel = cancelAfterReads
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(TransferError) -> Int {
        readsBeforeCancel -= 1
        if readsBeforeCancel == 0 { withUnsafeCurrentTask { $0?.cancel() } }
        let count = min(buffer.count, left)
        for index in 0..<count { buffer[index] = UInt8(truncatingIfNeeded: index &* 31) }
        left -= count
        return count
    }
}

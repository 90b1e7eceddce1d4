import InterlinkHTTP
import NIOCore
import Testing

@testable import InterlinkStorage

/// Recycling of a streamed upload's chunk buffers (``BufferPool`` behind ``PartChunks``).
@Suite struct BufferPoolTests {
    /// Sends `count` chunks of 1 KiB, each filled with its index, taking each one as soon as it is sent; returns
    /// each chunk's storage address and the bytes received, and keeps the chunk numbered `keep` alive meanwhile.
    static func run(count: Int, depth: Int, keep: Int? = nil) async throws -> (
        addresses: [UInt], received: [[UInt8]], kept: [UInt8]?, pooled: Int
    ) {
        let pool = BufferPool(depth: depth)
        let chunks = PartChunks(limit: 1 << 20, pool: pool)
        var iterator = chunks.makeAsyncIterator()
        var addresses: [UInt] = []
        var received: [[UInt8]] = []
        var kept: ByteBuffer?
        for index in 0..<count {
            var buffer = chunks.buffer(capacity: 1024)
            addresses.append(buffer.withUnsafeMutableWritableBytes { UInt(bitPattern: $0.baseAddress) })
            buffer.writeRepeatingByte(UInt8(index), count: 1024)
            await chunks.send(buffer)
            let chunk = try #require(try await iterator.next())
            if index == keep { kept = chunk }
            received.append(Array(chunk.readableBytesView))
        }
        return (addresses, received, kept.map { Array($0.readableBytesView) }, pool.count)
    }

    /// A chunk the consumer is done with (it asked for the next) is the producer's buffer two chunks later: the
    /// same memory, written again, and every chunk still arrives with its own bytes.
    @Test func sentChunksAreWrittenAgainInTheSameMemory() async throws {
        let run = try await Self.run(count: 8, depth: 4)
        #expect(run.received == (0..<8).map { [UInt8](repeating: UInt8($0), count: 1024) })
        for index in 2..<8 { #expect(run.addresses[index] == run.addresses[index - 2]) }
        #expect(run.pooled <= 4)
    }

    /// A chunk somebody still holds is never written over: the producer's write copies it first, so the holder
    /// keeps its bytes and the next chunk gets other memory.
    @Test func aChunkStillHeldIsCopiedNotOverwritten() async throws {
        let run = try await Self.run(count: 4, depth: 4, keep: 0)
        #expect(run.kept == [UInt8](repeating: 0, count: 1024))
        #expect(run.addresses[2] != run.addresses[0])
        #expect(run.received == (0..<4).map { [UInt8](repeating: UInt8($0), count: 1024) })
    }

    /// A consumer that recycles the chunks itself (the HTTP client, once curl has copied them) gets them with no
    /// reference kept behind, and nothing is given back for it when it asks for the next one.
    @Test func aConsumerThatRecyclesItselfIsLeftToIt() async throws {
        let pool = BufferPool(depth: 4)
        let chunks = PartChunks(limit: 1 << 20, pool: pool)
        #expect(chunks.leaveRecyclingToConsumer() === pool)
        var iterator = chunks.makeAsyncIterator()
        for index in 0..<3 {
            do {
                // In its own scope: a debug build keeps the producer's variable alive to the end of its scope.
                var buffer = chunks.buffer(capacity: 1024)
                buffer.writeRepeatingByte(UInt8(index), count: 1024)
                await chunks.send(buffer)
            }
            // Not through #require, whose expansion keeps a copy of the value it checked.
            guard var chunk = try await iterator.next() else {
                Issue.record("chunk \(index) is missing")
                return
            }
            #expect(chunk.readableBytesView.allSatisfy { $0 == UInt8(index) })
            // The only reference: writing into it does not move it.
            let before = chunk.withVeryUnsafeBytes { UInt(bitPattern: $0.baseAddress) }
            chunk.setInteger(UInt8(9), at: chunk.readerIndex)
            #expect(chunk.withVeryUnsafeBytes { UInt(bitPattern: $0.baseAddress) } == before)
        }
        chunks.finish()
        #expect(try await iterator.next() == nil)
        #expect(pool.count == 0)
        #expect(PartChunks(limit: 1 << 20).leaveRecyclingToConsumer() == nil)
    }

    /// A full pool drops what comes back; a buffer too small for the next chunk is not handed out.
    @Test func thePoolKeepsAtMostItsDepthAndOnlyBuffersThatFit() {
        let pool = BufferPool(depth: 2)
        for _ in 0..<5 { pool.give(ByteBufferAllocator().buffer(capacity: 64)) }
        #expect(pool.count == 2)
        #expect(pool.take(capacity: 1 << 20) == nil)
        #expect(pool.count == 1)
        let small = pool.take(capacity: 32)
        #expect(small.map { $0.readableBytes == 0 && $0.capacity >= 32 } == true)
        #expect(pool.count == 0)
    }
}

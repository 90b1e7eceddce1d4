import NIOCore
import Testing

@testable import InterlinkStorage

/// What ``InFlightCounter`` sees of a ``PartChunks`` queue: queued bytes, and chunks handed straight to a waiting
/// consumer.
@Suite struct InFlightCounterTests {
    @Test func aChunkHandedToAWaitingConsumerReachesThePeakAndLeavesNothingCounted() async throws {
        let counter = InFlightCounter()
        let chunks = PartChunks(limit: 1 << 20, counter: counter)
        // The consumer waits first, so the queue never holds a chunk: each one goes straight across.
        async let received = Self.sizes(of: chunks)
        while !chunks.hasWaitingConsumer { await Task.yield() }
        for size in [1_000, 3_000, 2_000] {
            await chunks.send(ByteBuffer(repeating: 7, count: size))
            while !chunks.hasWaitingConsumer { await Task.yield() }
        }
        chunks.finish()
        #expect(try await received == [1_000, 3_000, 2_000])
        #expect(counter.peak == 3_000)
        // Nothing is left counted: 3,100 bytes added now are the new peak only if the count is back at zero.
        counter.add(500)
        #expect(counter.peak == 3_000)
        counter.add(2_600)
        #expect(counter.peak == 3_100)
    }

    @Test func queuedChunksAddUpToThePeakAndAreTakenOff() async throws {
        let counter = InFlightCounter()
        let chunks = PartChunks(limit: 10_000, counter: counter)
        for _ in 0..<4 { await chunks.send(ByteBuffer(repeating: 1, count: 2_000)) }
        chunks.finish()
        var total = 0
        for try await chunk in chunks { total += chunk.readableBytes }
        #expect(total == 8_000)
        #expect(counter.peak == 8_000)
        counter.add(1)
        #expect(counter.peak == 8_000)
    }

    @Test func abandoningTakesTheQueuedBytesOff() async {
        let counter = InFlightCounter()
        let chunks = PartChunks(limit: 10_000, counter: counter)
        await chunks.send(ByteBuffer(repeating: 1, count: 4_000))
        chunks.abandon()
        await chunks.send(ByteBuffer(repeating: 1, count: 4_000))
        counter.add(4_001)
        #expect(counter.peak == 4_001)
    }

    /// The sizes of the chunks a consumer takes from `chunks`, in order, until it finishes.
    private static func sizes(of chunks: PartChunks) async throws -> [Int] {
        var sizes: [Int] = []
        for try await chunk in chunks { sizes.append(chunk.readableBytes) }
        return sizes
    }
}

import NIOCore
import Synchronization
import Testing

@testable import InterlinkHTTP

/// Large response bodies collected into recycled buffers (``BufferPool/responseBodies``).
@Suite struct ResponseBodyPoolTests {
    /// Puts a buffer of `capacity` bytes into `pool`, keeping no reference to it, and returns its address.
    static func giveSpare(of capacity: Int, to pool: BufferPool) -> UInt {
        var spare = ByteBuffer()
        spare.reserveCapacity(capacity)
        spare.writeRepeatingByte(9, count: 100)
        let address = spare.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) }
        pool.give(spare)
        return address
    }

    static func address(of buffer: ByteBuffer) -> UInt {
        buffer.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) }
    }

    static func get(_ client: HTTPClient, _ url: String) async throws -> ByteBuffer {
        try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(30)).body.collect(upTo: 8 << 20)
    }

    /// The server's pattern of `count` bytes (byte i is i mod 251), built by doubling: byte loops in a debug build
    /// take seconds of a cooperative thread for a few MiB, which stalls the other suites' timed tests.
    static func pattern(count: Int) -> ByteBuffer {
        var pattern = ByteBuffer(bytes: (0..<251).map { UInt8($0) })
        while pattern.readableBytes < count {
            var copy = pattern
            pattern.writeBuffer(&copy)
        }
        return pattern.getSlice(at: pattern.readerIndex, length: count) ?? ByteBuffer()
    }

    /// Whether `buffer` is the server's body of `count` bytes (compared as memory).
    static func isPattern(_ buffer: ByteBuffer, count: Int) -> Bool {
        buffer == pattern(count: count)
    }

    @Test func aLargeBodyFillsAPooledBufferOnlyWhereThePoolIsSet() async throws {
        try await TestServer.with { server in
            let client = HTTPClient()
            let pool = BufferPool(depth: 4)
            let large = (1 << 20) + 4096
            let spare = Self.giveSpare(of: 2 << 20, to: pool)
            let (pooled, small) = try await BufferPool.$responseBodies.withValue(pool) {
                let pooled = try await Self.get(client, server.base + "/download?size=\(large)")
                // Below the threshold the pool is left alone: a small body comes from the allocator's heap.
                let small = try await Self.get(client, server.base + "/download?size=1000")
                return (pooled, small)
            }
            #expect(pool.reuseCount == 1 && pool.count == 0)
            #expect(Self.address(of: pooled) == spare)
            #expect(Self.isPattern(pooled, count: large) && Self.isPattern(small, count: 1000))

            // Outside the task tree that set it, the pool is not used.
            _ = Self.giveSpare(of: 2 << 20, to: pool)
            let unpooled = try await Self.get(client, server.base + "/download?size=\(large)")
            #expect(pool.reuseCount == 1 && pool.count == 1)
            #expect(Self.isPattern(unpooled, count: large))

            // A spare too small for the body is dropped, and the body gets its own buffer.
            let tooSmall = BufferPool(depth: 4)
            _ = Self.giveSpare(of: 1 << 20, to: tooSmall)
            let grown = try await BufferPool.$responseBodies.withValue(tooSmall) {
                try await Self.get(client, server.base + "/download?size=\(large)")
            }
            #expect(tooSmall.reuseCount == 0 && tooSmall.count == 0)
            #expect(Self.isPattern(grown, count: large))
            try await client.shutdown()
        }
    }
}

/// ``HTTPClientResponse/Body/collect(upTo:)``, which takes the body straight from curl's buffer into one buffer.
@Suite struct CollectTests {
    @Test func aBodyPastTheLimitIsRefusedAndTheClientGoesOn() async throws {
        try await TestServer.with { server in
            let client = HTTPClient()
            for size in [(1 << 20) + 1, 2 << 20] {
                let response = try await client.execute(
                    HTTPClientRequest(url: server.base + "/download?size=\(size)"),
                    timeout: .seconds(30)
                )
                await #expect(throws: HTTPClientError(.bodyTooLarge(limit: 1 << 20))) {
                    _ = try await response.body.collect(upTo: 1 << 20)
                }
            }
            // Exactly at the limit is accepted, and byte for byte.
            let exact = try await ResponseBodyPoolTests.get(client, server.base + "/download?size=\(1 << 20)")
            #expect(ResponseBodyPoolTests.isPattern(exact, count: 1 << 20))
            try await client.shutdown()
        }
    }

    /// Chunks read with the iterator before `collect` come first, and the rest follows in order.
    @Test func collectAfterReadingSomeChunksKeepsEveryByteInOrder() async throws {
        try await TestServer.with { server in
            let client = HTTPClient()
            let size = 2 << 20
            let response = try await client.execute(
                HTTPClientRequest(url: server.base + "/download?size=\(size)"),
                timeout: .seconds(30)
            )
            var iterator = response.body.makeAsyncIterator()
            var first = try #require(try await iterator.next())
            var rest = try await response.body.collect(upTo: size)
            first.writeBuffer(&rest)
            #expect(ResponseBodyPoolTests.isPattern(first, count: size))
            try await client.shutdown()
        }
    }
}

/// A streamed upload's chunks handed back once curl has copied them (``HTTPClientRequest/Body/stream(_:length:returningChunksTo:)``).
@Suite struct UploadChunkReturnTests {
    /// What the producer saw of one chunk.
    struct Made: Sendable {
        var recycled: Bool
        var addressBefore: UInt
        var addressAfter: UInt
    }

    /// The chunks made so far.
    final class Record: Sendable {
        let made = Mutex<[Made]>([])
    }

    /// `count` chunks of 251 × 256 bytes of the server's pattern, each written into a buffer of `pool` when it has
    /// one; records where each chunk's memory was before and after it was written.
    struct PooledPatternChunks: AsyncSequence, Sendable {
        typealias Element = ByteBuffer
        let count: Int
        let pool: BufferPool
        let made: Record
        static let size = 251 * 256
        /// One chunk's bytes, made once (a byte loop per chunk is slow in a debug build).
        static let bytes = ResponseBodyPoolTests.pattern(count: size)

        struct AsyncIterator: AsyncIteratorProtocol {
            let source: PooledPatternChunks
            var index = 0
            mutating func next() async throws -> ByteBuffer? {
                guard index < source.count else { return nil }
                index += 1
                // No second variable may hold the buffer while it is written (a debug build keeps locals to the
                // end of their scope): the binding below ends with its `if`.
                var buffer: ByteBuffer
                let recycled: Bool
                if let spare = source.pool.take(capacity: PooledPatternChunks.size) {
                    buffer = spare
                    recycled = true
                } else {
                    buffer = ByteBufferAllocator().buffer(capacity: PooledPatternChunks.size)
                    recycled = false
                }
                // Read without a mutable access, which would copy a shared buffer before the write does.
                let before = buffer.withVeryUnsafeBytes { UInt(bitPattern: $0.baseAddress) }
                var bytes = PooledPatternChunks.bytes
                buffer.writeBuffer(&bytes)
                let after = buffer.withVeryUnsafeBytes { UInt(bitPattern: $0.baseAddress) }
                source.made.made.withLock {
                    $0.append(Made(recycled: recycled, addressBefore: before, addressAfter: after))
                }
                return buffer
            }
        }

        func makeAsyncIterator() -> AsyncIterator { AsyncIterator(source: self) }
    }

    /// Once curl has copied a chunk, it is in the pool and referenced nowhere else: the producer's next chunks are
    /// written into the same memory without a copy (the address does not move on the write), and the server gets
    /// every byte.
    @Test func copiedChunksComeBackUnreferencedAndAreWrittenInPlace() async throws {
        try await TestServer.with { server in
            let client = HTTPClient()
            let pool = BufferPool(depth: 32)
            let chunks = PooledPatternChunks(count: 40, pool: pool, made: Record())
            var request = HTTPClientRequest(url: server.base + "/upload")
            request.method = .PUT
            let length = 40 * PooledPatternChunks.size
            request.body = .stream(chunks, length: .known(Int64(length)), returningChunksTo: pool)
            let response = try await client.execute(request, timeout: .seconds(30))
            let reply = try HTTPClientTests.json(try await response.body.collect(upTo: 1 << 20))
            try await client.shutdown()
            #expect(reply["length"] as? Int == length && reply["pattern"] as? Bool == true)
            let made = chunks.made.made.withLock { $0 }
            // The queue ahead of curl holds about 2 MiB (32 chunks here at most), so later chunks find returned ones.
            #expect(made.filter(\.recycled).count > 0)
            for chunk in made where chunk.recycled { #expect(chunk.addressBefore == chunk.addressAfter) }
            #expect(pool.count > 0)
        }
    }
}

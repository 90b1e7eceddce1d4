import NIOCore
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

    /// The server's body of `count` bytes: byte i is i mod 251.
    static func isPattern(_ buffer: ByteBuffer, count: Int) -> Bool {
        buffer.readableBytes == count && buffer.readableBytesView.enumerated().allSatisfy { $1 == UInt8($0 % 251) }
    }

    @Test func aLargeBodyFillsAPooledBufferOnlyWhereThePoolIsSet() async throws {
        try await TestServer.with { server in
            let client = HTTPClient()
            let pool = BufferPool(depth: 4)
            let large = 3 << 20
            let spare = Self.giveSpare(of: 4 << 20, to: pool)
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
            _ = Self.giveSpare(of: 4 << 20, to: pool)
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
            for size in [(1 << 20) + 1, 3 << 20] {
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
            let size = 5 << 20
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

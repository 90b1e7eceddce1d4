import CSystemCodecs
import Foundation
import InterlinkHTTP
import InterlinkTestSupport
import NIOCore
import Testing

@testable import InterlinkStorage

/// A sequence of buffers, for feeding a framing in pieces.
private struct Buffers: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let items: [ByteBuffer]

    func makeAsyncIterator() -> Iterator { Iterator(items: items) }

    struct Iterator: AsyncIteratorProtocol {
        var items: [ByteBuffer]
        mutating func next() async -> ByteBuffer? { items.isEmpty ? nil : items.removeFirst() }
    }
}

@Suite struct S3ChecksumTrailerTests {
    /// The standard check value of CRC-32/ISO-HDLC: "123456789" sums to 0xCBF43926, whose big-endian bytes in base64
    /// are S3's `ChecksumCRC32` for those bytes.
    @Test func theCheckValueIsS3sBase64OfTheBigEndianCRC() {
        #expect(S3ChecksumTrailer.checksum(of: ByteBuffer(string: "123456789")) == "y/Q5Jg==")
        #expect(S3ChecksumTrailer.checksum(of: ByteBuffer()) == "AAAAAA==")
        #expect(il_crc32_portable(0, "123456789", 9) == 0xCBF4_3926)
    }

    /// The three ways of summing agree: `il_crc32` (carry-less multiplication on this CPU), zlib's `crc32_z` and this
    /// module's table; for every length from 0 to 300 at every start offset modulo 16 (the folding's tails and
    /// unaligned loads), for a large buffer whole, and continued across uneven pieces.
    @Test func theFoldingZlibAndTheTableAgree() {
        let bytes = patternBytes(count: (1 << 20) + 12_345, seed: 5)
        bytes.withUnsafeBytes { raw in
            let base = raw.baseAddress!
            for offset in 0..<16 {
                for length in 0...300 {
                    let table = il_crc32_portable(7, base + offset, length)
                    #expect(il_crc32(7, base + offset, length) == table, "offset \(offset), length \(length)")
                    #expect(il_crc32_zlib(7, base + offset, length) == table, "offset \(offset), length \(length)")
                }
            }
            let whole = il_crc32_portable(0, base, raw.count)
            #expect(il_crc32(0, base, raw.count) == whole)
            #expect(il_crc32_zlib(0, base, raw.count) == whole)
            var running: UInt32 = 0
            var offset = 0
            for piece in [1, 15, 4096, 65_537, 1 << 19] + [raw.count] {
                let end = min(raw.count, offset + piece)
                running = il_crc32(running, base + offset, end - offset)
                offset = end
                if offset == raw.count { break }
            }
            #expect(running == whole)
        }
    }

    /// The framed body is exactly `<hex>\r\n<payload>\r\n0\r\nx-amz-checksum-crc32:<b64>\r\n\r\n`, as long as
    /// `encodedLength` said before the first byte, whatever the pieces the payload came in.
    @Test(arguments: [0, 1, 15, 16, 4096, (5 << 20) + 3])
    func theFramingIsOneChunkAndATrailerOfTheAnnouncedLength(length: Int) async throws {
        let payload = patternBytes(count: length, seed: UInt64(length))
        var pieces: [ByteBuffer] = []
        var offset = 0
        var size = 7
        while offset < length {
            let end = min(length, offset + size)
            pieces.append(ByteBuffer(bytes: payload[offset..<end]))
            offset = end
            size = size * 3 + 1
        }
        let trailer = S3ChecksumTrailer(payloadLength: length)
        var wire: [UInt8] = []
        for try await buffer in trailer.framing(Buffers(items: pieces)) { wire += buffer.readableBytesView }
        let checksum = S3ChecksumTrailer.checksum(of: ByteBuffer(bytes: payload))
        let expected =
            Array("\(String(length, radix: 16))\r\n".utf8) + payload
            + Array("\r\n0\r\nx-amz-checksum-crc32:\(checksum)\r\n\r\n".utf8)
        #expect(wire == expected)
        #expect(wire.count == trailer.encodedLength)
        #expect(trailer.checksum == checksum)
        #expect(trailer.headers.map(\.0) == ["content-encoding", "x-amz-decoded-content-length", "x-amz-trailer"])
        #expect(trailer.headers.first { $0.0 == "x-amz-decoded-content-length" }?.1 == String(length))
    }

    /// The framing's own few bytes, handed back to an upload's pool with the chunks, are not kept in a chunk's place.
    @Test func aPoolWithASmallestSizeDropsTheFramingsBuffers() {
        let pool = BufferPool(depth: 4, smallest: 64 << 10)
        pool.give(S3ChecksumTrailer(payloadLength: 10).prefix)
        pool.give(S3ChecksumTrailer(payloadLength: 10).suffix)
        #expect(pool.count == 0)
        pool.give(ByteBufferAllocator().buffer(capacity: 1 << 20))
        #expect(pool.count == 1)
    }
}

import Foundation
import InterlinkTestSupport
import NIOCore
import Synchronization
import Testing

@testable import InterlinkStorage

/// Streams bytes already in memory as parts of a fixed size, `chunkSize` at a time; counts the parts replayed.
struct BytesStreamSource: StreamingPartSource {
    let bytes: [UInt8]
    let partSize: Int
    let chunkSize: Int
    let replays: ReplayCount
    /// Whether the next part is gathered when its length is asked for (as for a compressed input of unknown size).
    var gathers = false
    var nextNumber = 1
    var gathered: [UInt8]?

    var replayer: (@Sendable (Int, PartChunks) async throws -> Void)? {
        { [bytes, partSize, chunkSize, replays] number, chunks in
            replays.add()
            await Self.write(bytes, part: number, partSize: partSize, chunkSize: chunkSize, into: chunks)
        }
    }

    mutating func nextPartLength() async throws -> Int? {
        let start = (nextNumber - 1) * partSize
        guard start < bytes.count else { return nil }
        let length = min(partSize, bytes.count - start)
        if gathers { gathered = Array(bytes[start..<start + length]) }
        return length
    }

    mutating func writePart(into chunks: PartChunks) async throws {
        defer { nextNumber += 1 }
        if gathers {
            let part = try #require(gathered, "part \(nextNumber) was not gathered before it was written")
            gathered = nil
            var offset = 0
            while offset < part.count {
                let next = min(offset + chunkSize, part.count)
                await chunks.send(ByteBuffer(bytes: part[offset..<next]))
                offset = next
            }
            return
        }
        await Self.write(bytes, part: nextNumber, partSize: partSize, chunkSize: chunkSize, into: chunks)
    }

    static func write(_ bytes: [UInt8], part: Int, partSize: Int, chunkSize: Int, into chunks: PartChunks) async {
        let end = min(part * partSize, bytes.count)
        var offset = (part - 1) * partSize
        while offset < end {
            let next = min(offset + chunkSize, end)
            // In the upload's recycled buffers, as the Rescale path's producer writes its chunks.
            var buffer = chunks.buffer(capacity: next - offset)
            buffer.writeBytes(bytes[offset..<next])
            await chunks.send(buffer)
            offset = next
        }
    }
}

/// Counts replayed parts.
final class ReplayCount: Sendable {
    private let count = Mutex(0)
    func add() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}

extension TransferMatrix {
    /// Streams parts much larger than the queue limit and checks the bytes queued never exceed W × (limit + chunk)
    /// while the object arrives intact: a part is never gathered whole in memory.
    ///
    /// - Parameter gathering: Whether the source gathers each part when asked its length (its state changes then).
    /// - Throws: A storage error, or a failed requirement.
    func streamsLargePartsWithBoundedBytesInFlight(gathering: Bool = false) async throws {
        let store = makeStore()
        let key = uniqueKey("streamed")
        let largePart = 8 << 20
        let bytes = patternBytes(count: largePart * 2 + 777_777, seed: 9)
        var uploader = ConcurrentUploader(store: store, window: 2, logger: quietLogger)
        let counter = InFlightCounter()
        uploader.chunkLimit = 1 << 20
        uploader.bytesInFlight = counter
        let chunkSize = 256 << 10
        var source = BytesStreamSource(bytes: bytes, partSize: largePart, chunkSize: chunkSize, replays: ReplayCount())
        source.gathers = gathering
        let final = try await uploader.upload(
            to: key,
            metadata: .streaming(iv: "oKGio6SlpqeoqaqrrK2urw==", partSize: largePart),
            partSize: largePart,
            streamingFrom: source,
            expectedBytes: Int64(bytes.count)
        )
        #expect(final.completedParts.map(\.number) == [1, 2, 3])
        #expect(final.completedParts.map(\.size) == [Int64(largePart), Int64(largePart), 777_777])
        #expect(counter.peak > 0)
        #expect(counter.peak <= 2 * ((1 << 20) + chunkSize))
        let properties = try await store.properties(of: key)
        #expect(properties.size == Int64(bytes.count))
        #expect(try await download(key, size: properties.size) == bytes)
    }
}

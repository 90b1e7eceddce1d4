import Foundation
import InterlinkCore
import InterlinkTransfer
import Synchronization
import Testing

/// Gathers emitted chunks and the largest one.
private final class Gathered: Sendable {
    let state = Mutex((bytes: [UInt8](), largest: 0))
    var emitter: ChunkEmitter {
        ChunkEmitter { [self] chunk in
            state.withLock {
                $0.bytes += Array(chunk)
                $0.largest = max($0.largest, chunk.count)
            }
        }
    }
    func take() -> [UInt8] {
        state.withLock { state in
            defer { state.bytes = [] }
            return state.bytes
        }
    }
}

@Suite struct StreamedPartTests {
    /// Streamed parts equal gathered ones chunk for chunk, the SHA-512 is the same, no chunk exceeds the granule
    /// plus padding, and a part regenerated from the previous part's checkpoint (seeking the file, continuing the
    /// chain, not hashing) is byte-identical.
    @Test func streamedPartsEqualGatheredOnesAndReplayFromTheirCheckpoint() async throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("input.bin", patternBytes(3 * 65_536 + 1000, seed: 5))
        let gathered = try await collectParts(
            try UploadPartProducer.file(
                at: path,
                key: try makeKey(),
                iv: try makeIV(),
                partSize: 65_536,
                chunkSize: 16_384
            )
        )
        let streamer = try UploadPartProducer.file(
            at: path,
            key: try makeKey(),
            iv: try makeIV(),
            partSize: 65_536,
            chunkSize: 16_384
        )
        let sink = Gathered()
        var streamed: [CiphertextPart] = []
        var bodies: [[UInt8]] = []
        while let part = try await streamer.nextPart(emit: sink.emitter) {
            streamed.append(part)
            bodies.append(sink.take())
        }
        #expect(bodies == gathered.map { Array($0.bytes) })
        #expect(streamed.map(\.checkpoint) == gathered.map(\.checkpoint))
        #expect(streamed.allSatisfy { $0.bytes.isEmpty })
        #expect(sink.state.withLock { $0.largest } <= 16_384 + 16)
        let reference = try UploadPartProducer.file(at: path, key: try makeKey(), iv: try makeIV(), partSize: 65_536)
        _ = try await collectParts(reference)
        #expect(streamer.summary?.sha512 == reference.summary?.sha512)
        for number in 2...gathered.count {
            let checkpoint = gathered[number - 2].checkpoint
            let replay = UploadPartProducer(
                replaying: try FileSource(path: path, offset: checkpoint.plaintextOffset),
                key: try makeKey(),
                from: checkpoint,
                partSize: 65_536,
                path: path,
                chunkSize: 16_384
            )
            let part = try #require(try await replay.nextPart(emit: sink.emitter))
            #expect(part.number == number)
            #expect(part.checkpoint == gathered[number - 1].checkpoint)
            #expect(sink.take() == Array(gathered[number - 1].bytes))
        }
    }
}

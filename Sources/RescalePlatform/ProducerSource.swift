import InterlinkStorage
import InterlinkTransfer
import NIOCore
import Synchronization

/// Chain states reported by the producer, by part number; read when a checkpoint is journaled.
final class ChainLog: Sendable {
    private let states = Mutex<[Int: ChainCheckpoint]>([:])

    func record(_ number: Int, _ state: ChainCheckpoint) { states.withLock { $0[number] = state } }

    /// The states at or beyond `prefix` (older ones are no longer needed and are dropped).
    func states(from prefix: Int) -> [Int: ChainCheckpoint] {
        states.withLock { table in
            table = table.filter { $0.key >= prefix }
            return table
        }
    }
}

/// Holds the producer so the uploader can move it between child tasks.
///
/// `@unchecked Sendable`: the uploader calls `nextPart()` from one task at a time and never concurrently (its
/// documented contract), so the non-Sendable producer is only ever touched by one task at a time.
final class ProducerBox: @unchecked Sendable {
    let producer: UploadPartProducer

    init(_ producer: UploadPartProducer) { self.producer = producer }
}

/// Adapts the encrypting ``UploadPartProducer`` to the uploader's ``UploadPartSource``, logging chain states.
struct ProducerSource: UploadPartSource {
    let box: ProducerBox
    let log: ChainLog

    mutating func nextPart() async throws -> UploadPart? {
        try await nextPart(reusing: nil)
    }

    /// Copies the producer's part into `spare` (an acknowledged part's buffer) when given, so a long upload cycles
    /// through the same few buffers; the producer's own buffer goes back to its pool as soon as the copy is made.
    mutating func nextPart(reusing spare: ByteBuffer?) async throws -> UploadPart? {
        guard let part = try await box.producer.nextPart() else { return nil }
        log.record(part.number, part.checkpoint)
        guard var buffer = spare else {
            return UploadPart(number: part.number, bytes: ByteBuffer(bytes: part.bytes))
        }
        buffer.clear()
        buffer.writeBytes(part.bytes)
        return UploadPart(number: part.number, bytes: buffer)
    }
}

import InterlinkCore
import InterlinkStorage
import InterlinkSystem
import InterlinkTransfer
import NIOCore
import Synchronization

/// Chain states reported by the producer, by part number; read when a checkpoint is journaled.
final class ChainLog: Sendable {
    private let states = Mutex<[Int: ChainCheckpoint]>([:])

    func record(_ number: Int, _ state: ChainCheckpoint) { states.withLock { $0[number] = state } }

    /// The state after part `number`, if the producer reported it and it was not dropped.
    func state(after number: Int) -> ChainCheckpoint? { states.withLock { $0[number] } }

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

/// Streams the encrypting ``UploadPartProducer``'s parts to their requests chunk by chunk, logging chain states: the
/// Rescale path's upload holds no whole part in memory.
///
/// With the encrypted size E known in advance (a file, or an uncompressed archive) each part's exact length is known
/// and the part is encrypted straight into its request. Without it (a compressed archive, whose size is known only at
/// its end) the next part is produced into a ``PartSpool`` (an unnamed temporary file) to learn its length, then
/// read back 1 MiB at a time into its request: no part is held in memory, whatever S is.
struct StreamingProducerSource: StreamingPartSource {
    let box: ProducerBox
    let log: ChainLog
    /// E, the object's size, when known in advance.
    let encryptedSize: Int64?
    /// Regenerates one part from the chain state before it, for a retry.
    let replay: @Sendable (Int, PartChunks) async throws -> Void
    /// The number of the next part handed out.
    var nextNumber: Int
    /// Holds the next part when E is not known (made on first use).
    var spool: PartSpool?
    /// Whether ``spool`` holds the announced part, not yet written.
    var spooled = false

    var replayer: (@Sendable (Int, PartChunks) async throws -> Void)? { replay }

    mutating func nextPartLength() async throws -> Int? {
        guard let encryptedSize else {
            let spool = try self.spool ?? PartSpool()
            self.spool = spool
            spool.reset()
            // The emitter runs on the producer's blocking executor, so its file writes block no cooperative thread.
            let emitter = ChunkEmitter { bytes in spool.append(bytes) }
            guard let part = try await box.producer.nextPart(emit: emitter) else { return nil }
            try spool.check(path: "part \(part.number)")
            guard part.number == nextNumber else {
                throw PlatformError(.storage("the producer yielded part \(part.number), expected \(nextNumber)"))
            }
            log.record(part.number, part.checkpoint)
            spooled = true
            return spool.count
        }
        let size = Int64(box.producer.partSize)
        let start = Int64(nextNumber - 1) * size
        guard start < encryptedSize else { return nil }
        return Int(min(size, encryptedSize - start))
    }

    mutating func writePart(into chunks: PartChunks) async throws {
        if spooled, let spool {
            spooled = false
            var offset = 0
            // Read back a chunk at a time; the whole part is read before the next one overwrites the spool.
            while offset < spool.count {
                let start = offset
                let chunk = try await Blocking.run { () throws -> ByteBuffer in
                    var buffer = chunks.buffer(capacity: 1 << 20)
                    let count = try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 1 << 20) { bytes in
                        try spool.read(at: start, into: UnsafeMutableRawBufferPointer(rebasing: bytes.prefix(1 << 20)))
                    }
                    guard count > 0 else {
                        throw TransferError(path: "upload part spool", reason: .io("the spooled part ended early"))
                    }
                    return buffer
                }
                offset += chunk.readableBytes
                await chunks.send(chunk)
            }
            nextNumber += 1
            return
        }
        let emitter = ChunkEmitter { bytes in await chunks.send(copying: bytes) }
        guard let part = try await box.producer.nextPart(emit: emitter), part.number == nextNumber else {
            throw PlatformError(.storage("the input ended before part \(nextNumber)"))
        }
        log.record(part.number, part.checkpoint)
        nextNumber += 1
    }

    /// Writes part `number` of a fresh producer (made from the chain state before it) into `chunks`.
    ///
    /// - Parameters:
    ///   - producer: A producer whose next part is `number`.
    ///   - number: The part.
    ///   - chunks: The retry's body queue.
    /// - Throws: The producer's errors, or a mismatch when it yields another part.
    static func writeReplay(_ producer: UploadPartProducer, part number: Int, into chunks: PartChunks) async throws {
        let box = ProducerBox(producer)
        let emitter = ChunkEmitter { bytes in await chunks.send(copying: bytes) }
        guard let part = try await box.producer.nextPart(emit: emitter), part.number == number else {
            throw PlatformError(.storage("part \(number) could not be produced again"))
        }
    }
}

import Foundation
import InterlinkStorage
import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// Reads a file sequentially in parts of a fixed size, one part per call: the bench's stand-in for the encryptor.
///
/// Each part is read with `pread` straight into the `ByteBuffer` that is sent, so the bytes are not copied again
/// (reading into `Data` and wrapping it in a `ByteBuffer` held two copies of every part).
struct FilePartSource: UploadPartSource {
    let path: String
    let partSize: Int
    var nextNumber = 1

    mutating func nextPart() async throws -> UploadPart? {
        try await nextPart(reusing: nil)
    }

    /// Reads the next part into `spare` (an acknowledged part's buffer) when given, else into a new buffer.
    mutating func nextPart(reusing spare: ByteBuffer?) async throws -> UploadPart? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw CocoaError(.fileNoSuchFile) }
        defer { close(descriptor) }
        let offset = off_t((nextNumber - 1) * partSize)
        var buffer = spare ?? ByteBufferAllocator().buffer(capacity: partSize)
        buffer.clear()
        let count = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: partSize) { memory in
            var done = 0
            while done < partSize {
                let read = pread(
                    descriptor,
                    memory.baseAddress.map { $0 + done },
                    partSize - done,
                    offset + off_t(done)
                )
                if read <= 0 { break }
                done += read
            }
            return done
        }
        guard count > 0 else { return nil }
        defer { nextNumber += 1 }
        return UploadPart(number: nextNumber, bytes: buffer)
    }
}

/// Streams a file in parts of a fixed size, each written to its request 1 MiB at a time as it is read (into the
/// upload's recycled chunk buffers, as the Rescale path's producer does); a retried part is read again from its offset.
struct FileStreamSource: StreamingPartSource {
    let path: String
    let partSize: Int
    let fileSize: Int
    var nextNumber = 1

    var replayer: (@Sendable (Int, PartChunks) async throws -> Void)? {
        { [path, partSize, fileSize] number, chunks in
            try await Self.write(path, from: (number - 1) * partSize, size: fileSize, partSize: partSize, into: chunks)
        }
    }

    mutating func nextPartLength() async throws -> Int? {
        let start = (nextNumber - 1) * partSize
        return start < fileSize ? min(partSize, fileSize - start) : nil
    }

    mutating func writePart(into chunks: PartChunks) async throws {
        defer { nextNumber += 1 }
        try await Self.write(path, from: (nextNumber - 1) * partSize, size: fileSize, partSize: partSize, into: chunks)
    }

    private static func write(_ path: String, from start: Int, size: Int, partSize: Int, into chunks: PartChunks)
        async throws
    {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw CocoaError(.fileNoSuchFile) }
        defer { close(descriptor) }
        let end = min(start + partSize, size)
        var offset = start
        while offset < end {
            let wanted = min(1 << 20, end - offset)
            var buffer = chunks.buffer(capacity: wanted)
            let count = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: wanted) { memory in
                var done = 0
                while done < wanted {
                    let read = pread(
                        descriptor,
                        memory.baseAddress.map { $0 + done },
                        wanted - done,
                        off_t(offset + done)
                    )
                    if read <= 0 { break }
                    done += read
                }
                return done
            }
            guard count == wanted else { throw CocoaError(.fileReadUnknown) }
            offset += count
            await chunks.send(buffer)
        }
    }
}

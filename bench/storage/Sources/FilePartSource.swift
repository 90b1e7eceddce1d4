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
                let read = pread(descriptor, memory.baseAddress.map { $0 + done }, partSize - done, offset + off_t(done))
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

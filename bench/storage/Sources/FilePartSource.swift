import Foundation
import InterlinkStorage
import NIOCore

/// Reads a file sequentially in parts of a fixed size, one part per call: the bench's stand-in for the encryptor.
struct FilePartSource: UploadPartSource {
    let path: String
    let partSize: Int
    var nextNumber = 1

    mutating func nextPart() async throws -> UploadPart? {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw CocoaError(.fileNoSuchFile) }
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64((nextNumber - 1) * partSize))
        guard let data = try handle.read(upToCount: partSize), !data.isEmpty else { return nil }
        defer { nextNumber += 1 }
        return UploadPart(number: nextNumber, bytes: ByteBuffer(bytes: data))
    }
}

import NIOCore

/// A sequential, pull-based producer of upload parts: the seam where the encrypted-part producer plugs in.
///
/// The uploader calls ``nextPart()`` from one task at a time (the value moves between child tasks, never shared),
/// so CBC chaining state may live in the source. Parts must be numbered consecutively from the number the upload
/// starts or resumes at; each part but the last should be exactly the part size S.
package protocol UploadPartSource: Sendable {
    /// Produces the next part, or `nil` after the last one.
    ///
    /// - Throws: Any read or encryption error; the upload fails with it.
    mutating func nextPart() async throws -> UploadPart?

    /// Produces the next part, writing it into `spare` when that helps: the bytes of a part already acknowledged,
    /// handed back so a steady upload reuses the same (W + 2) buffers instead of allocating one per part.
    ///
    /// A source that ignores `spare` (the default) is still correct; one that uses it should `clear()` it and write
    /// in place, which copies only if someone else still holds the storage.
    ///
    /// - Throws: Any read or encryption error; the upload fails with it.
    mutating func nextPart(reusing spare: ByteBuffer?) async throws -> UploadPart?
}

extension UploadPartSource {
    /// Ignores the spare buffer.
    package mutating func nextPart(reusing spare: ByteBuffer?) async throws -> UploadPart? {
        try await nextPart()
    }
}

/// A source that slices bytes already in memory into parts of a fixed size; for raw uploads and tests.
package struct BufferPartSource: UploadPartSource {
    private let bytes: [UInt8]
    private let partSize: Int
    private var nextNumber: Int

    /// Creates a source.
    ///
    /// - Parameters:
    ///   - bytes: The whole payload.
    ///   - partSize: The part size S, positive.
    ///   - firstPartNumber: Where to start (a resumed upload's next part); its offset is `(first − 1) × S`.
    package init(bytes: [UInt8], partSize: Int, firstPartNumber: Int = 1) {
        precondition(partSize > 0 && firstPartNumber >= 1, "positive part size and part number")
        self.bytes = bytes
        self.partSize = partSize
        self.nextNumber = firstPartNumber
    }

    /// Returns the next slice, or `nil` past the end (a zero-byte payload yields no parts).
    package mutating func nextPart() async throws -> UploadPart? {
        let start = (nextNumber - 1) * partSize
        guard start < bytes.count else { return nil }
        let end = min(start + partSize, bytes.count)
        defer { nextNumber += 1 }
        return UploadPart(number: nextNumber, bytes: .init(bytes: bytes[start..<end]))
    }
}

import NIOCore

/// Receives an object's bytes strictly in order, one range at a time: the seam where the in-order decryptor plugs in.
///
/// The downloader fetches ranges concurrently but hands them over in object order. What the consumer returns is
/// appended to the destination, so a decryptor returns plaintext and a raw download returns its input.
package protocol RangeConsumer {
    /// Consumes the next range.
    ///
    /// - Parameters:
    ///   - bytes: The range's bytes, contiguous with the previous call's, held by nobody else: a consumer may
    ///     transform them in place (a decryptor writes the plaintext over the ciphertext) and return them.
    ///   - isLast: Whether this is the object's final range (such as strip PKCS#7 padding).
    /// - Returns: The bytes to append to the destination.
    /// - Throws: A format error; the download stops and keeps the verified prefix.
    mutating func consume(_ bytes: inout ByteBuffer, isLast: Bool) async throws -> ByteBuffer
}

/// A consumer that writes the object's bytes unchanged, for raw downloads.
package struct PlainBytesConsumer: RangeConsumer {
    /// Creates a consumer.
    package init() {}

    /// Returns the bytes as they are.
    package mutating func consume(_ bytes: inout ByteBuffer, isLast: Bool) async throws -> ByteBuffer { bytes }
}

/// Where an interrupted download stands: ranges consumed in order and the destination bytes they produced.
///
/// The lead journals this next to the decryptor's state (the running IV is the last 16 ciphertext bytes of range
/// `rangesDone − 1`) and rehashes the prefix on resume.
package struct DownloadCheckpoint: Hashable, Sendable, Codable {
    /// The schema version of this record.
    package var v: Int = 1
    /// The object read.
    package var key: ObjectKey
    /// Its size E, to detect a replaced object.
    package var objectSize: Int64
    /// Its entity tag when the store sent one.
    package var etag: String?
    /// The range size; a multiple of 16 so every boundary is a CBC block boundary.
    package var rangeSize: Int64
    /// How many ranges were consumed and written, in order.
    package var rangesDone: Int
    /// How many destination bytes those ranges produced (synced to `<dest>.partial`).
    package var bytesWritten: Int64

    /// Creates a checkpoint.
    package init(
        key: ObjectKey,
        objectSize: Int64,
        etag: String?,
        rangeSize: Int64,
        rangesDone: Int,
        bytesWritten: Int64
    ) {
        self.key = key
        self.objectSize = objectSize
        self.etag = etag
        self.rangeSize = rangeSize
        self.rangesDone = rangesDone
        self.bytesWritten = bytesWritten
    }

    /// The number of ranges, `ceil(E / S)` and at least 1.
    package var rangeCount: Int { max(1, Int((objectSize + rangeSize - 1) / rangeSize)) }

    /// The inclusive byte range of range `index`; empty objects read nothing.
    package func bounds(of index: Int) -> ClosedRange<Int64>? {
        let first = Int64(index) * rangeSize
        let last = min(first + rangeSize, objectSize) - 1
        return first <= last ? first...last : nil
    }
}

import NIOCore

/// The storage operations the engine needs, implemented by ``S3Client`` and ``AzureBlobClient``.
///
/// A multipart upload is: ``createUpload(of:metadata:)``, ``uploadPart(_:in:)`` for each part (any order,
/// concurrently), ``completeUpload(_:parts:totalBytes:)``; ``abortUpload(_:)`` on failure. S3 stores the metadata at
/// create and Azure at commit; the session carries it so each store uses it where it belongs. Every method runs the
/// storage retry loop (``StorageRetrier``) itself.
package protocol ObjectStore: Sendable {
    /// Starts a multipart upload (S3 CreateMultipartUpload; Azure needs no call).
    ///
    /// - Parameters:
    ///   - key: The object to create; never overwritten in practice because keys carry a random suffix.
    ///   - metadata: `iv`, `streamingformat`, `partsize`.
    /// - Returns: The session to upload parts into; `Codable` so it can be journaled.
    /// - Throws: ``StorageError`` once the retry loop gives up.
    func createUpload(of key: ObjectKey, metadata: ObjectMetadata) async throws -> UploadSession

    /// Uploads one part (S3 UploadPart; Azure Put Block with the spec's block id).
    ///
    /// - Parameters:
    ///   - part: The 1-based part number and its bytes.
    ///   - session: The upload it belongs to.
    /// - Returns: The part's number, tag (S3 ETag; Azure block id) and size.
    /// - Throws: ``StorageError`` once the retry loop gives up.
    func uploadPart(_ part: UploadPart, in session: UploadSession) async throws -> CompletedPart

    /// Commits the parts in number order, after checking there are exactly N of them with the expected total size.
    ///
    /// - Parameters:
    ///   - session: The upload.
    ///   - parts: Every part, numbers 1 through N.
    ///   - totalBytes: The object size E the parts must add up to.
    /// - Throws: ``StorageError``: a fatal count or size mismatch before any request, or a service failure.
    func completeUpload(_ session: UploadSession, parts: [CompletedPart], totalBytes: Int64) async throws

    /// Discards an unfinished upload; best effort, runs even when the task is cancelled.
    func abortUpload(_ session: UploadSession) async throws

    /// The parts the service holds for an unfinished upload, for resuming.
    func listParts(of session: UploadSession) async throws -> [CompletedPart]

    /// Stores a small object in one request (legacy single PUT or Put Blob).
    func putObject(_ bytes: ByteBuffer, at key: ObjectKey, metadata: ObjectMetadata) async throws

    /// Reads an object's size and metadata (S3 HEAD, Azure Get Blob Properties).
    func properties(of key: ObjectKey) async throws -> ObjectProperties

    /// Reads the inclusive byte range `range` of an object into memory, as one retry unit.
    func read(_ key: ObjectKey, range: ClosedRange<Int64>) async throws -> ByteBuffer
}

/// One part of an upload as a producer hands it over.
package struct UploadPart: Sendable {
    /// The 1-based part number (S3 `partNumber`; Azure block index + 1).
    package var number: Int
    /// The part's bytes, kept for retries until the part is acknowledged; empty when the part is streamed.
    package var bytes: ByteBuffer
    /// The streamed body, when the part is sent as it is produced instead of from ``bytes``.
    package var streamed: StreamedPartBody?

    /// Creates a part held in memory.
    package init(number: Int, bytes: ByteBuffer) {
        precondition(number >= 1, "part numbers start at 1")
        self.number = number
        self.bytes = bytes
    }

    /// Creates a part streamed to the socket as it is produced.
    package init(number: Int, streamed: StreamedPartBody) {
        precondition(number >= 1, "part numbers start at 1")
        self.number = number
        self.bytes = ByteBuffer()
        self.streamed = streamed
    }

    /// The part's size in bytes.
    package var length: Int { streamed?.length ?? bytes.readableBytes }
}

/// A part the service acknowledged.
package struct CompletedPart: Hashable, Sendable, Codable {
    /// The 1-based part number.
    package var number: Int
    /// S3's `ETag` (quotes included) or the Azure block id.
    package var tag: String
    /// The part's size in bytes.
    package var size: Int64
    /// S3's `ChecksumCRC32` of the part (base64), when its upload was created with that algorithm.
    ///
    /// Nil for Azure and for S3 uploads begun without part checksums; absent from checkpoints written before it
    /// existed.
    package var checksum: String?

    /// Creates a record of an acknowledged part.
    package init(number: Int, tag: String, size: Int64, checksum: String? = nil) {
        self.number = number
        self.tag = tag
        self.size = size
        self.checksum = checksum
    }
}

/// An unfinished multipart upload.
package struct UploadSession: Hashable, Sendable, Codable {
    /// The object being written.
    package var key: ObjectKey
    /// S3's `UploadId`; `nil` for Azure, whose uncommitted blocks live under the blob name.
    package var uploadID: String?
    /// The metadata to store (S3 at create, Azure at commit).
    package var metadata: ObjectMetadata
    /// The checksum algorithm S3 was told at create (`CRC32`), if any.
    ///
    /// Each part then carries its checksum, and the completion lists them. Nil for Azure and for S3 uploads begun
    /// without one (or before it existed).
    package var checksumAlgorithm: String?

    /// Creates a session.
    package init(key: ObjectKey, uploadID: String?, metadata: ObjectMetadata, checksumAlgorithm: String? = nil) {
        self.key = key
        self.uploadID = uploadID
        self.metadata = metadata
        self.checksumAlgorithm = checksumAlgorithm
    }
}

/// What HEAD or Get Blob Properties says about an object.
package struct ObjectProperties: Sendable, Equatable {
    /// The stored size E in bytes.
    package var size: Int64
    /// The user metadata, looked up case-insensitively.
    package var metadata: ObjectMetadata
    /// The entity tag, if sent.
    package var etag: String?

    /// Creates properties.
    package init(size: Int64, metadata: ObjectMetadata, etag: String?) {
        self.size = size
        self.metadata = metadata
        self.etag = etag
    }
}

extension ObjectStore {
    /// Checks the completion preconditions, since a gap or a short part would commit a corrupt object: parts numbered exactly 1…N and adding up to `totalBytes`.
    ///
    /// - Returns: The parts sorted by number.
    /// - Throws: ``StorageError`` (fatal) on a gap, a duplicate, or a size mismatch.
    package func validatedParts(
        _ parts: [CompletedPart],
        totalBytes: Int64,
        operation: String
    ) throws -> [CompletedPart] {
        let sorted = parts.sorted { $0.number < $1.number }
        let numbersAreExact = sorted.enumerated().allSatisfy { $0.element.number == $0.offset + 1 }
        let expectedCount = sorted.last?.number ?? 0
        guard numbersAreExact, !sorted.isEmpty else {
            throw StorageError(
                .partCountMismatch(expected: max(expectedCount, 1), actual: sorted.count),
                operation: operation
            )
        }
        let sum = sorted.reduce(Int64(0)) { $0 + $1.size }
        guard sum == totalBytes else {
            throw StorageError(.byteCountMismatch(expected: totalBytes, actual: sum), operation: operation)
        }
        return sorted
    }
}

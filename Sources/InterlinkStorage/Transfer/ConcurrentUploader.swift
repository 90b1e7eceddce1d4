import Logging
import NIOCore

/// Uploads parts from a sequential producer with a bounded window of concurrent part uploads.
///
/// At most `window` parts are in flight, one more is produced and waiting, and one is being produced: memory is
/// about `(window + 2) × S`. Production runs in a child task while parts upload, so the producer and the network
/// overlap. Cancellation and failures stop everything; whether the upload is aborted depends on ``FailurePolicy``.
package struct ConcurrentUploader: Sendable {
    /// What to do with the server-side upload when the transfer stops early.
    package enum FailurePolicy: Sendable {
        /// Abort on any failure or cancellation.
        case abort
        /// Keep the parts so a journaled checkpoint can resume; abort only on fatal errors.
        case keepForResume
    }

    /// The store to upload into.
    package var store: any ObjectStore
    /// The most part uploads in flight, W.
    package var window: Int
    /// What happens to the upload on failure or cancellation.
    package var failurePolicy: FailurePolicy
    /// Where progress is logged at `.debug`.
    package var logger: Logger
    /// The most bytes queued per streamed part before its producer waits for the socket.
    package var chunkLimit = 2 << 20
    /// Counts the streamed bytes queued across the upload, when set (tests and diagnostics).
    package var bytesInFlight: InFlightCounter?

    /// Creates an uploader.
    package init(store: any ObjectStore, window: Int, failurePolicy: FailurePolicy = .abort, logger: Logger) {
        precondition(window >= 1, "window must be positive")
        self.store = store
        self.window = window
        self.failurePolicy = failurePolicy
        self.logger = logger
    }

    /// Starts a new multipart upload and uploads every part the source yields.
    ///
    /// - Parameters:
    ///   - key: The object to create.
    ///   - metadata: The metadata (`iv`, `streamingformat`, `partsize`).
    ///   - partSize: S, recorded in checkpoints.
    ///   - source: The producer, starting at part 1.
    ///   - expectedBytes: The object size E, if known, checked before completing.
    ///   - checkpoint: Called after the upload is created and after every acknowledged part, serially.
    /// - Returns: The final checkpoint with every part.
    /// - Throws: ``StorageError``, the source's errors, or `CancellationError`.
    package func upload(
        to key: ObjectKey,
        metadata: ObjectMetadata,
        partSize: Int,
        from source: some UploadPartSource,
        expectedBytes: Int64? = nil,
        checkpoint: @Sendable (MultipartCheckpoint) async throws -> Void = { _ in }
    ) async throws -> MultipartCheckpoint {
        let session = try await store.createUpload(of: key, metadata: metadata)
        let start = MultipartCheckpoint(session: session, partSize: partSize)
        try await checkpoint(start)
        return try await upload(continuing: start, from: source, expectedBytes: expectedBytes, checkpoint: checkpoint)
    }

    /// Reconciles a journaled checkpoint with the server: only parts both journaled and listed with the same tag and
    /// size are trusted.
    ///
    /// - Parameter journaled: The checkpoint read back from the journal.
    /// - Returns: The checkpoint to continue from; its ``MultipartCheckpoint/resumePartNumber`` tells the source where
    ///   to start.
    /// - Throws: ``StorageError`` when the upload no longer exists (such as `NoSuchUpload`): start a new one.
    package func reconcile(_ journaled: MultipartCheckpoint) async throws -> MultipartCheckpoint {
        let listed = try await store.listParts(of: journaled.session)
        let byNumber = Dictionary(listed.map { ($0.number, $0) }, uniquingKeysWith: { first, _ in first })
        // Same number, tag and size; a checksum the listing gives must agree with the journal's (a listing without
        // one, as some S3 implementations send, leaves the journal's, which the service checked on arrival).
        let trusted = journaled.completedParts.compactMap { part -> CompletedPart? in
            guard let service = byNumber[part.number], service.tag == part.tag, service.size == part.size else {
                return nil
            }
            switch (part.checksum, service.checksum) {
            case (let ours?, let theirs?): return ours == theirs ? part : nil
            case (nil, let theirs?):
                var confirmed = part
                confirmed.checksum = theirs
                return confirmed
            case (_, nil): return part
            }
        }
        return MultipartCheckpoint(session: journaled.session, partSize: journaled.partSize, completedParts: trusted)
    }

    /// Reconciles a journaled checkpoint, then continues the upload with a source positioned at its resume point.
    ///
    /// - Parameters:
    ///   - journaled: The checkpoint from the journal.
    ///   - makeSource: Builds a producer starting at the given part number.
    ///   - expectedBytes: The object size E, if known.
    ///   - checkpoint: Called after every acknowledged part.
    /// - Returns: The final checkpoint.
    /// - Throws: ``StorageError``, the source's errors, or `CancellationError`.
    package func resume<Source: UploadPartSource>(
        from journaled: MultipartCheckpoint,
        makeSource: (Int) async throws -> Source,
        expectedBytes: Int64? = nil,
        checkpoint: @Sendable (MultipartCheckpoint) async throws -> Void = { _ in }
    ) async throws -> MultipartCheckpoint {
        let reconciled = try await reconcile(journaled)
        logger.debug(
            "storage.upload.resume",
            metadata: [
                "storage.key": "\(reconciled.session.key)",
                "storage.trusted_parts": "\(reconciled.completedParts.count)",
            ]
        )
        try await checkpoint(reconciled)
        let source = try await makeSource(reconciled.resumePartNumber)
        return try await upload(
            continuing: reconciled,
            from: source,
            expectedBytes: expectedBytes,
            checkpoint: checkpoint
        )
    }
}

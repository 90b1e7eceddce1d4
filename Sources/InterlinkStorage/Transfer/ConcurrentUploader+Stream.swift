import InterlinkHTTP
import NIOCore

/// A sequential producer whose parts are streamed to the socket as they are produced, so memory does not grow with
/// the part size.
///
/// The uploader asks for the next part's exact length (the request's `Content-Length`), then lets the source write
/// the part chunk by chunk into a bounded ``PartChunks`` queue that the part's request reads. The source is moved
/// between child tasks, used by one at a time, so chaining state may live in it. A retried part cannot rewind the
/// queue: ``replayer`` regenerates one part from its checkpoint into a fresh queue.
package protocol StreamingPartSource: Sendable {
    /// The length in bytes of the next part, or `nil` after the last one; called once before each ``writePart(into:)``.
    ///
    /// - Returns: The length (every part but the last is exactly the part size).
    /// - Throws: Any read error; the upload fails with it.
    mutating func nextPartLength() async throws -> Int?

    /// Writes the part whose length was just announced into `chunks`, then returns; the uploader finishes the queue.
    ///
    /// Writes every byte even when the request has abandoned the queue (it drops them), so the source's state is at
    /// the next part's start when it returns.
    ///
    /// - Parameter chunks: The part's body queue.
    /// - Throws: Any read or encryption error; the upload fails with it.
    mutating func writePart(into chunks: PartChunks) async throws

    /// Writes part `number` again into a fresh queue, for a retry; `nil` when the source cannot regenerate a part.
    var replayer: (@Sendable (_ number: Int, _ chunks: PartChunks) async throws -> Void)? { get }
}

extension ConcurrentUploader {
    private enum StreamEvent<Source: Sendable>: Sendable {
        case announced(Source, Int?)
        case uploaded(CompletedPart)
    }

    /// Starts a new multipart upload and streams every part the source yields.
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
        streamingFrom source: some StreamingPartSource,
        expectedBytes: Int64? = nil,
        checkpoint: @Sendable (MultipartCheckpoint) async throws -> Void = { _ in }
    ) async throws -> MultipartCheckpoint {
        let session = try await store.createUpload(of: key, metadata: metadata)
        let start = MultipartCheckpoint(session: session, partSize: partSize)
        try await checkpoint(start)
        return try await finish(start, expectedBytes: expectedBytes, checkpoint: checkpoint) {
            try await stream(start, from: source, checkpoint: checkpoint)
        }
    }

    /// Streams the parts a source yields into an existing upload, skipping parts the checkpoint already holds, then
    /// completes it.
    ///
    /// At most W parts are in flight, the one being produced included, and each holds at most ``chunkLimit`` bytes
    /// queued: memory is about W × that plus the transport's buffers, whatever the part size.
    ///
    /// - Parameters:
    ///   - start: The checkpoint to continue from (empty for a new upload).
    ///   - source: A producer starting at `start.resumePartNumber`.
    ///   - expectedBytes: The object size E, if known.
    ///   - checkpoint: Called after every acknowledged part.
    /// - Returns: The final checkpoint.
    /// - Throws: ``StorageError``, the source's errors, or `CancellationError`.
    package func upload<Source: StreamingPartSource>(
        continuing start: MultipartCheckpoint,
        streamingFrom source: Source,
        expectedBytes: Int64?,
        checkpoint: @Sendable (MultipartCheckpoint) async throws -> Void
    ) async throws -> MultipartCheckpoint {
        try await finish(start, expectedBytes: expectedBytes, checkpoint: checkpoint) {
            try await stream(start, from: source, checkpoint: checkpoint)
        }
    }

    /// Reconciles a journaled checkpoint, then streams the rest of the upload from a source positioned at its
    /// resume point.
    ///
    /// - Parameters:
    ///   - journaled: The checkpoint from the journal.
    ///   - makeStreamingSource: Builds a producer starting at the given part number.
    ///   - expectedBytes: The object size E, if known.
    ///   - checkpoint: Called after every acknowledged part.
    /// - Returns: The final checkpoint.
    /// - Throws: ``StorageError``, the source's errors, or `CancellationError`.
    package func resume<Source: StreamingPartSource>(
        from journaled: MultipartCheckpoint,
        makeStreamingSource: (Int) async throws -> Source,
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
        let source = try await makeStreamingSource(reconciled.resumePartNumber)
        return try await upload(
            continuing: reconciled,
            streamingFrom: source,
            expectedBytes: expectedBytes,
            checkpoint: checkpoint
        )
    }

    private func stream<Source: StreamingPartSource>(
        _ start: MultipartCheckpoint,
        from initial: Source,
        checkpoint: @Sendable (MultipartCheckpoint) async throws -> Void
    ) async throws -> MultipartCheckpoint {
        let store = self.store
        let session = start.session
        let alreadyDone = Set(start.completedParts.map(\.number))
        let replayer = initial.replayer
        let limit = chunkLimit
        let counter = bytesInFlight
        // One pool for the whole upload: its parts' chunks are recycled across parts (W parts of about 2 MiB
        // queued each, so 2W + 2 buffers cover what is in flight). Buffers under 64 KiB (a transport's framing, a
        // part's short last chunk) come cheaply from the allocator's heap and are not kept.
        let pool = BufferPool(depth: 2 * window + 2, smallest: 64 << 10)
        var state = start
        var nextNumber = start.resumePartNumber
        return try await withThrowingTaskGroup(of: StreamEvent<Source>.self) { group in
            var announced: (source: Source, length: Int)?
            var inFlight = 0
            group.addTask {
                var source = initial
                let length = try await source.nextPartLength()
                return .announced(source, length)
            }
            while let event = try await group.next() {
                switch event {
                case .announced(let source, let length):
                    if let length { announced = (source, length) }
                case .uploaded(let part):
                    inFlight -= 1
                    state.record(part)
                    try await checkpoint(state)
                }
                guard let next = announced else { continue }
                let number = nextNumber
                let skipped = alreadyDone.contains(number)
                // The part being produced counts as in flight: it is sent while it is written.
                guard skipped || inFlight < window else { continue }
                announced = nil
                nextNumber += 1
                let chunks = PartChunks(limit: limit, counter: counter, pool: pool)
                if skipped {
                    // Produced only to keep the chain; nobody reads it.
                    chunks.abandon()
                } else {
                    inFlight += 1
                    let replay: @Sendable (PartChunks) async throws -> Void = { fresh in
                        guard let replayer else {
                            throw StorageError(
                                .transport("part \(number) was streamed and its source cannot produce it again"),
                                operation: "upload \(session.key)"
                            )
                        }
                        try await replayer(number, fresh)
                    }
                    let part = UploadPart(
                        number: number,
                        streamed: StreamedPartBody(length: next.length, live: chunks, replay: replay)
                    )
                    group.addTask { .uploaded(try await store.uploadPart(part, in: session)) }
                }
                group.addTask {
                    var source = next.source
                    do {
                        try await source.writePart(into: chunks)
                        chunks.finish()
                    } catch {
                        chunks.fail(error)
                        throw error
                    }
                    // Announce after the call: it may change the source (a gathering source holds the next part).
                    let length = try await source.nextPartLength()
                    return .announced(source, length)
                }
            }
            return state
        }
    }
}

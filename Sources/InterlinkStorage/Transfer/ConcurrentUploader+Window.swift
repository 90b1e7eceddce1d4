import NIOCore

extension ConcurrentUploader {
    private enum Event<Source: Sendable>: Sendable {
        case produced(Source, UploadPart?)
        /// An acknowledged part, with its bytes to reuse for a later part.
        case uploaded(CompletedPart, ByteBuffer)
    }

    /// Uploads the parts a source yields into an existing upload, skipping parts the checkpoint already holds, then
    /// completes it.
    ///
    /// - Parameters:
    ///   - start: The checkpoint to continue from (empty for a new upload).
    ///   - source: A producer starting at `start.resumePartNumber`.
    ///   - expectedBytes: The object size E, if known.
    ///   - checkpoint: Called after every acknowledged part.
    /// - Returns: The final checkpoint.
    /// - Throws: ``StorageError``, the source's errors, or `CancellationError`; the upload is aborted first unless
    ///   the policy keeps it for resuming and the failure is not fatal.
    package func upload<Source: UploadPartSource>(
        continuing start: MultipartCheckpoint,
        from source: Source,
        expectedBytes: Int64?,
        checkpoint: @Sendable (MultipartCheckpoint) async throws -> Void
    ) async throws -> MultipartCheckpoint {
        try await finish(start, expectedBytes: expectedBytes, checkpoint: checkpoint) {
            try await transfer(start, from: source, checkpoint: checkpoint)
        }
    }

    /// Runs the part transfers, then completes the upload (an empty object as one empty part); on failure aborts it
    /// unless the policy keeps it for resuming and the failure is not fatal.
    ///
    /// - Parameters:
    ///   - start: The checkpoint the transfers continue from.
    ///   - expectedBytes: The object size E, if known.
    ///   - checkpoint: Called after every acknowledged part.
    ///   - transfer: Uploads the parts and returns the checkpoint with all of them.
    /// - Returns: The final checkpoint.
    /// - Throws: What `transfer` or the completion throws.
    func finish(
        _ start: MultipartCheckpoint,
        expectedBytes: Int64?,
        checkpoint: @Sendable (MultipartCheckpoint) async throws -> Void,
        transfer: () async throws -> MultipartCheckpoint
    ) async throws -> MultipartCheckpoint {
        let session = start.session
        do {
            var state = try await transfer()
            if state.completedParts.isEmpty {
                // S3 cannot complete an upload without parts: an empty object is one empty part.
                state.record(try await store.uploadPart(UploadPart(number: 1, bytes: ByteBuffer()), in: session))
                try await checkpoint(state)
            }
            try await store.completeUpload(
                session,
                parts: state.completedParts,
                totalBytes: expectedBytes ?? state.completedBytes
            )
            return state
        } catch {
            let isFatal = (error as? StorageError)?.errorClass == .fatal
            if failurePolicy == .abort || isFatal {
                do {
                    try await store.abortUpload(session)
                } catch let abortError {
                    logger.debug("storage.upload.abort_failed", metadata: ["storage.error": "\(abortError)"])
                }
            }
            throw error
        }
    }

    private func transfer<Source: UploadPartSource>(
        _ start: MultipartCheckpoint,
        from initial: Source,
        checkpoint: @Sendable (MultipartCheckpoint) async throws -> Void
    ) async throws -> MultipartCheckpoint {
        let store = self.store
        let session = start.session
        let alreadyDone = Set(start.completedParts.map(\.number))
        var state = start
        var expectedNumber = start.resumePartNumber
        return try await withThrowingTaskGroup(of: Event<Source>.self) { group in
            var idleSource: Source?
            var ready: UploadPart?
            var inFlight = 0
            var exhausted = false
            // Buffers of acknowledged parts, handed to the source for the next part (at most W + 2 ever exist).
            var spares: [ByteBuffer] = []
            group.addTask {
                var source = initial
                let part = try await source.nextPart()
                return .produced(source, part)
            }
            while let event = try await group.next() {
                switch event {
                case .produced(let source, let part):
                    idleSource = source
                    if let part {
                        guard part.number == expectedNumber else {
                            throw StorageError(
                                .checkpointMismatch(
                                    "the source yielded part \(part.number), expected \(expectedNumber)"
                                ),
                                operation: "upload \(session.key)"
                            )
                        }
                        expectedNumber += 1
                        // A part the server already holds is produced only to keep the chain; skip its upload.
                        if !alreadyDone.contains(part.number) { ready = part } else { spares.append(part.bytes) }
                    } else {
                        exhausted = true
                    }
                case .uploaded(let part, let bytes):
                    inFlight -= 1
                    spares.append(bytes)
                    state.record(part)
                    try await checkpoint(state)
                }
                if let part = ready, inFlight < window {
                    ready = nil
                    inFlight += 1
                    group.addTask {
                        let bytes = part.bytes
                        return .uploaded(try await store.uploadPart(part, in: session), bytes)
                    }
                }
                if ready == nil, !exhausted, let source = idleSource {
                    idleSource = nil
                    let spare = spares.popLast()
                    group.addTask {
                        var source = source
                        let part = try await source.nextPart(reusing: spare)
                        return .produced(source, part)
                    }
                }
            }
            return state
        }
    }
}

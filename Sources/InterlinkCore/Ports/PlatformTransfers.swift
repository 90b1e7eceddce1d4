/// Where an interrupted upload stands, opaque to the engine: the platform writes it, the engine journals it and
/// hands the last one back on the next attempt.
///
/// A platform puts whatever it needs to continue in `payload` (typically JSON: the object key, the multipart
/// upload id, the parts done, the encryption chain state). It must not hold credentials; it may hold the file's
/// data key, which the journal keeps with owner-only permissions.
package struct UploadCheckpoint: Hashable, Sendable, Codable {
    /// Platform-defined state.
    package var payload: String
    /// Encoded bytes durably stored so far.
    package var committedBytes: Int64

    /// Creates a checkpoint.
    package init(payload: String, committedBytes: Int64) {
        self.payload = payload
        self.committedBytes = committedBytes
    }
}

/// A progress report from a transfer: bytes moved and, for uploads, a new durable checkpoint.
package struct TransferProgress: Hashable, Sendable {
    /// Bytes transferred so far (encoded bytes for uploads, file bytes for downloads).
    package var bytes: Int64
    /// Bytes expected in total, when known.
    package var totalBytes: Int64?
    /// A new point the upload can resume from; nil for plain progress.
    package var checkpoint: UploadCheckpoint?

    /// Creates a report.
    package init(bytes: Int64, totalBytes: Int64?, checkpoint: UploadCheckpoint? = nil) {
        self.bytes = bytes
        self.totalBytes = totalBytes
        self.checkpoint = checkpoint
    }
}

/// An object fully written to storage, ready to be registered as a file.
package struct UploadedObject: Hashable, Sendable, Codable {
    /// The name the platform shows (the planned upload's name).
    package var name: String
    /// Where the object is in storage (the S3 key or blob path); unique per upload.
    package var storagePath: String
    /// Plaintext size in bytes (Rescale's `decryptedSize`).
    package var plaintextBytes: Int64
    /// Lowercase hex SHA-512 of the plaintext.
    package var sha512: String
    /// Whatever else the platform needs to register the object (storage id, data key); opaque to the engine.
    package var attributes: [String: String]

    /// Creates an uploaded object.
    package init(
        name: String,
        storagePath: String,
        plaintextBytes: Int64,
        sha512: String,
        attributes: [String: String] = [:]
    ) {
        self.name = name
        self.storagePath = storagePath
        self.plaintextBytes = plaintextBytes
        self.sha512 = sha512
        self.attributes = attributes
    }
}

/// A registered file attached to a job as an input.
package struct JobInputFile: Hashable, Sendable, Codable {
    /// The file.
    package var id: FileID
    /// Whether the platform unpacks it into the work directory.
    package var decompress: Bool

    /// Creates an input reference.
    package init(id: FileID, decompress: Bool) {
        self.id = id
        self.decompress = decompress
    }
}

/// Everything needed to create one job.
package struct JobRequest: Hashable, Sendable, Codable {
    /// The job's display name.
    package var name: String
    /// The job's specification (analysis, command, hardware, licenses, tags, project, automations).
    package var spec: JobSpec
    /// Input files in attachment order: shared inputs and the job's own uploads, then existing files.
    package var inputFiles: [JobInputFile]
    /// The key the platform stores with the job so ``Platform/findJob(idempotencyKey:)`` finds it.
    package var idempotencyKey: IdempotencyKey

    /// Creates a request.
    package init(name: String, spec: JobSpec, inputFiles: [JobInputFile], idempotencyKey: IdempotencyKey) {
        self.name = name
        self.spec = spec
        self.inputFiles = inputFiles
        self.idempotencyKey = idempotencyKey
    }
}

/// One result file of a finished job.
package struct RemoteOutput: Hashable, Sendable, Codable {
    /// The file's id.
    package var id: FileID
    /// The path under the job's run root (may be empty: then ``name`` is used).
    package var relativePath: String
    /// The file name.
    package var name: String
    /// Plaintext size in bytes.
    package var bytes: Int64
    /// Lowercase hex SHA-512 of the plaintext, when the platform has it.
    package var sha512: String?

    /// Creates an output description.
    package init(id: FileID, relativePath: String, name: String, bytes: Int64, sha512: String?) {
        self.id = id
        self.relativePath = relativePath
        self.name = name
        self.bytes = bytes
        self.sha512 = sha512
    }
}

/// A file downloaded and verified.
package struct DownloadedFile: Hashable, Sendable, Codable {
    /// The local path written.
    package var path: String
    /// Its size in bytes.
    package var bytes: Int64
    /// Its lowercase hex SHA-512.
    package var sha512: String

    /// Creates a record of a download.
    package init(path: String, bytes: Int64, sha512: String) {
        self.path = path
        self.bytes = bytes
        self.sha512 = sha512
    }
}

import Foundation
import InterlinkCore

/// A file's checksum entry (`fileChecksums[]`).
package struct StoredChecksum: Hashable, Sendable, Codable {
    /// `sha512`.
    package var hashFunction: String
    /// 128 lowercase hex characters.
    package var fileHash: String
}

/// Where a file's object lives (`pathParts`).
package struct ObjectLocation: Hashable, Sendable, Codable {
    /// The container (bucket); always `local`.
    package var container: String
    /// The object name (`<basename>-<suffix>`).
    package var path: String
}

/// A registered file, with the fields of a Rescale file record the local cloud needs.
package struct StoredFile: Hashable, Sendable, Codable {
    /// The file id.
    package var id: FileID
    /// The display name.
    package var name: String
    /// 1 input, 5 output.
    package var typeId: Int
    /// Always true: files are registered after their object is complete.
    package var isUploaded: Bool
    /// base64 of the 32-byte data key.
    package var encodedEncryptionKey: String
    /// The object's location.
    package var pathParts: ObjectLocation
    /// Plaintext bytes.
    package var decryptedSize: Int64
    /// The plaintext's SHA-512.
    package var fileChecksums: [StoredChecksum]
    /// For outputs: the path under the job's work directory.
    package var relativePath: String?
    /// For outputs: the job that produced it.
    package var jobId: JobID?
    /// The key of the registration that created it (inputs registered by a client).
    package var idempotencyKey: IdempotencyKey?
    /// When it was registered.
    package var dateUploaded: Date

    /// The SHA-512 from ``fileChecksums`` (any accepted spelling of the function name).
    package var sha512: String? {
        fileChecksums.first { ["sha512", "sha-512"].contains($0.hashFunction.lowercased()) }?.fileHash.lowercased()
    }
}

/// One entry of a job's status history (`GET /api/v3/jobs/{id}/statuses/`, kept oldest first here).
package struct StatusEntry: Hashable, Sendable, Codable {
    /// The status.
    package var status: JobStatus
    /// When it was reached.
    package var date: Date
}

/// A job as the local cloud keeps it.
package struct StoredJob: Hashable, Sendable, Codable {
    /// The job id.
    package var id: JobID
    /// The create body as the client sent it.
    package var body: JobDefinition
    /// The key the create carried.
    package var idempotencyKey: IdempotencyKey
    /// When it was created.
    package var dateInserted: Date
    /// Every status, oldest first; empty means not submitted.
    package var statuses: [StatusEntry]
    /// Submit calls received.
    package var submitCount: Int
    /// Times the command was started (counted when its process is recorded).
    package var executionCount: Int
    /// Times the job was queued again without its command having run to an end.
    ///
    /// Its runner died before the command started, or the runner stopped it when cancelled. A command that was started is never started again
    /// after its runner died: the next runner waits for it or reads its recorded exit status.
    package var restartCount: Int
    /// Whether an execution is in progress; set before it starts, cleared when its outcome is recorded.
    package var isRunning: Bool
    /// The command's supervising process (also its process group and session id), once started; kept after it ends.
    package var pid: Int32?
    /// The start time of ``pid``'s process (`/proc/<pid>/stat` field 22), which tells it from a later process that
    /// reuses the pid.
    package var processStartTime: UInt64?
    /// The command's exit status, once it exited.
    package var exitStatus: Int32?
    /// The signal that ended the command, if one did.
    package var exitSignal: Int32?
    /// The outputs, in listing order, once the job has ended.
    package var outputs: [FileID]
    /// A monotonically increasing number giving the submit order.
    package var submitSequence: Int?

    /// The current status: the newest entry, or ``JobStatus/notSubmitted``.
    package var status: JobStatus { statuses.last?.status ?? .notSubmitted }

    /// Whether the job waits for cores: submitted (`Pending`, or `Queued` again after a stop) and not running.
    var waitsForCores: Bool { !isRunning && (status == .pending || status == .queued) }
}

import Foundation
import InterlinkCore

/// The kinds of journal record.
package enum JournalRecordKind: String, Hashable, Sendable, Codable, CaseIterable {
    /// A runner started (or resumed) the run.
    case runStarted
    /// A node entered the run, or its content hash changed (its earlier state is discarded).
    case nodePlanned
    /// A side effect is about to happen.
    case intent
    /// An upload stored more data; the next attempt may continue from here.
    case checkpoint
    /// A side effect finished, failed, or reconciliation proved it never happened.
    case outcome
    /// A job's status changed.
    case jobStatus
    /// A node cannot run because a dependency failed.
    case nodeBlocked
    /// The runner stopped.
    case runFinished
}

/// How a step attempt ended.
package enum StepResult: String, Hashable, Sendable, Codable {
    /// It happened (or reconciliation found that it had).
    case succeeded
    /// It failed.
    case failed
    /// Reconciliation proved it did not happen; it may be done again.
    case absent
}

/// How a run ended.
package enum RunResult: String, Hashable, Sendable, Codable {
    /// Every node succeeded.
    case succeeded
    /// At least one node failed or was blocked.
    case failed
    /// Stopped by the user before finishing; resumable.
    case interrupted
}

/// An error as the journal keeps it.
package struct RecordedError: Hashable, Sendable, Codable {
    /// One lowercase line.
    package var message: String
    /// What may be done about it.
    package var retryClass: RetryClass

    /// Creates a recorded error.
    package init(message: String, retryClass: RetryClass) {
        self.message = message
        self.retryClass = retryClass
    }
}

/// One line of `journal.jsonl`: a version, a sequence number, a time, a kind, and the fields that kind uses.
///
/// The record is flat (absent fields are left out) so that each line is readable on its own and the schema in
/// `schemas/journal.schema.json` states per kind which fields it requires.
package struct JournalRecord: Hashable, Sendable, Codable {
    /// The record format version: 1.
    package var v: Int = 1
    /// 1-based position in the journal; strictly increasing.
    package var seq: Int = 0
    /// When it was written.
    package var time: Date = Date(timeIntervalSince1970: 0)
    /// What it records.
    package var kind: JournalRecordKind
    /// `runStarted`: the run id.
    package var run: RunID?
    /// `runStarted`: the writer's process id.
    package var pid: Int32?
    /// `runStarted`: whether an earlier journal existed.
    package var resumed: Bool?
    /// `runStarted`: the platform the run uses (``Platform/target``).
    package var platform: String?
    /// The node concerned.
    package var node: NodeID?
    /// `nodePlanned`: the node's display name.
    package var name: String?
    /// `nodePlanned`: the node's content hash.
    package var contentHash: String?
    /// The stage concerned.
    package var stage: StageKind?
    /// The item within the stage.
    package var item: String?
    /// The attempt number (1-based, counted across resumes).
    package var attempt: Int?
    /// The step's idempotency key.
    package var key: IdempotencyKey?
    /// `outcome`: how it ended.
    package var result: StepResult?
    /// `outcome`: whether the result came from a reconciliation lookup.
    package var reconciled: Bool?
    /// `checkpoint`: where the upload can continue.
    package var checkpoint: UploadCheckpoint?
    /// `outcome` of upload: the stored object.
    package var object: UploadedObject?
    /// `outcome` of register: the file.
    package var fileID: FileID?
    /// `outcome` of create, `jobStatus`: the job.
    package var jobID: JobID?
    /// `jobStatus`: the status name (``JobStatus/name``).
    package var status: String?
    /// `jobStatus`: the platform's reason.
    package var statusReason: String?
    /// `outcome` of the download listing: the job's outputs.
    package var outputs: [RemoteOutput]?
    /// `outcome` of a file download: what was written.
    package var download: DownloadedFile?
    /// `outcome` of a failure.
    package var error: RecordedError?
    /// `nodeBlocked`: the dependency that failed.
    package var dependency: NodeID?
    /// `runFinished`: how the run ended.
    package var runResult: RunResult?

    /// Creates a record of a kind; set the fields it uses afterwards or use the factories.
    package init(kind: JournalRecordKind) { self.kind = kind }

    /// The step the record is about, when it has one.
    package var step: StepRef? { stage.map { StepRef($0, item: item) } }
}

import Foundation
import InterlinkCore

/// What one journal record says: a closed set of kinds, each with the fields it requires.
package enum JournalEntry: Hashable, Sendable {
    /// A runner started (or resumed) the run.
    case runStarted(RunStarted)
    /// A node entered the run, or its content hash changed (its earlier state is discarded).
    case nodePlanned(NodePlanned)
    /// A side effect is about to happen.
    case intent(Intent)
    /// An upload stored more data; the next attempt may continue from here.
    case checkpoint(Checkpoint)
    /// A side effect finished, failed, or reconciliation proved it never happened.
    case outcome(Outcome)
    /// A job's status changed.
    case jobStatus(JobStatusChange)
    /// A node cannot run because a dependency failed.
    case nodeBlocked(NodeBlocked)
    /// The runner stopped, and how the run stood.
    case runFinished(RunResult)
    /// A node's job ended unsuccessfully; the node starts over from its create stage with a new job.
    case nodeRetried(NodeRetried)
    /// `rescale-int stop` asked the platform to stop a node's job.
    case jobStopped(JobStopped)

    /// The entry's kind, as the `kind` field names it.
    package var kind: JournalRecordKind {
        switch self {
        case .runStarted: .runStarted
        case .nodePlanned: .nodePlanned
        case .intent: .intent
        case .checkpoint: .checkpoint
        case .outcome: .outcome
        case .jobStatus: .jobStatus
        case .nodeBlocked: .nodeBlocked
        case .runFinished: .runFinished
        case .nodeRetried: .nodeRetried
        case .jobStopped: .jobStopped
        }
    }

    /// The node the entry is about; nil for run-level entries.
    package var node: NodeID? {
        switch self {
        case .runStarted, .runFinished: nil
        case .nodePlanned(let entry): entry.node
        case .intent(let entry): entry.node
        case .checkpoint(let entry): entry.node
        case .outcome(let entry): entry.node
        case .jobStatus(let entry): entry.node
        case .nodeBlocked(let entry): entry.node
        case .nodeRetried(let entry): entry.node
        case .jobStopped(let entry): entry.node
        }
    }

    /// A `runStarted` entry.
    package struct RunStarted: Hashable, Sendable {
        /// The run.
        package var run: RunID
        /// The writer's process id.
        package var pid: Int32
        /// Whether an earlier journal existed.
        package var resumed: Bool
        /// The platform the run uses (``Platform/target``); nil in journals written before it was recorded.
        package var platform: String?
    }

    /// A `nodePlanned` entry.
    package struct NodePlanned: Hashable, Sendable {
        /// The node.
        package var node: NodeID
        /// Its display name.
        package var name: String
        /// Its content hash.
        package var contentHash: String
    }

    /// An `intent` entry: a step is about to run its side effect.
    package struct Intent: Hashable, Sendable {
        /// The node.
        package var node: NodeID
        /// The step.
        package var step: StepRef
        /// The attempt number (1-based, counted across resumes).
        package var attempt: Int
        /// The step's idempotency key.
        package var key: IdempotencyKey
        /// Create and submit on Rescale: when a request this attempt sends can no longer be acted on.
        ///
        /// The call's timeout plus a margin. Nil in records written before it was journaled, and on the local
        /// platform: a resume then waits for nothing.
        package var deadline: Date? = nil
    }

    /// A `checkpoint` entry: where an upload in progress can continue.
    package struct Checkpoint: Hashable, Sendable {
        /// The node.
        package var node: NodeID
        /// The step.
        package var step: StepRef
        /// The step's idempotency key.
        package var key: IdempotencyKey
        /// Where the upload can continue.
        package var checkpoint: UploadCheckpoint
    }

    /// An `outcome` entry: how a step attempt ended, and what a successful one produced.
    package struct Outcome: Hashable, Sendable {
        /// The node.
        package var node: NodeID
        /// The step.
        package var step: StepRef
        /// The attempt number.
        package var attempt: Int
        /// The step's idempotency key.
        package var key: IdempotencyKey
        /// How it ended.
        package var result: StepResult
        /// Whether the result came from a reconciliation lookup.
        package var reconciled = false
        /// Upload: the stored object.
        package var object: UploadedObject?
        /// Register: the file.
        package var fileID: FileID?
        /// Create: the job.
        package var jobID: JobID?
        /// Poll: the status name (``JobStatus/name``).
        package var status: String?
        /// Poll: the platform's reason.
        package var statusReason: String?
        /// The download listing: the job's outputs.
        package var outputs: [RemoteOutput]?
        /// A file download: what was written.
        package var download: DownloadedFile?
        /// A failure: the error.
        package var error: RecordedError?
        /// A reconciled create: unsubmitted jobs with the same marker that were deleted (the job kept is ``jobID``).
        package var removedJobs: [JobID]?

        /// Creates an outcome; set what the step produced afterwards.
        package init(
            node: NodeID,
            step: StepRef,
            attempt: Int,
            key: IdempotencyKey,
            result: StepResult,
            reconciled: Bool = false
        ) {
            self.node = node
            self.step = step
            self.attempt = attempt
            self.key = key
            self.result = result
            self.reconciled = reconciled
        }
    }

    /// A `jobStatus` entry.
    package struct JobStatusChange: Hashable, Sendable {
        /// The node.
        package var node: NodeID
        /// The job.
        package var jobID: JobID
        /// The status name (``JobStatus/name``).
        package var status: String
        /// The platform's reason.
        package var statusReason: String?
    }

    /// A `nodeBlocked` entry.
    package struct NodeBlocked: Hashable, Sendable {
        /// The node that cannot run.
        package var node: NodeID
        /// The dependency that failed.
        package var dependency: NodeID
    }

    /// A `nodeRetried` entry: the node's create, submit, poll and download steps are discarded.
    package struct NodeRetried: Hashable, Sendable {
        /// The node.
        package var node: NodeID
        /// The job that ended unsuccessfully (kept on the platform, never submitted again).
        package var jobID: JobID?
        /// The retry's number (1 for the first): it goes into the new job's idempotency key.
        package var attempt: Int
    }

    /// A `jobStopped` entry.
    package struct JobStopped: Hashable, Sendable {
        /// The node.
        package var node: NodeID
        /// The job asked to stop.
        package var jobID: JobID
    }
}

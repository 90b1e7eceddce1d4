import Foundation
import InterlinkCore

/// What the journal says about one step of a node.
package struct StepState: Hashable, Sendable {
    /// Where the step stands.
    package enum Phase: Hashable, Sendable {
        /// Nothing journaled yet.
        case notStarted
        /// An intent without an outcome: the side effect may or may not have happened. Reconcile first.
        case inFlight(attempt: Int)
        /// Done (or found done by reconciliation).
        case succeeded
        /// The last attempt failed.
        case failed
        /// Reconciliation proved the side effect did not happen.
        case absent
    }

    /// Where the step stands.
    package var phase: Phase = .notStarted
    /// The highest attempt number journaled.
    package var attempts = 0
    /// The step's idempotency key, once an intent was journaled.
    package var key: IdempotencyKey?
    /// The last upload checkpoint.
    package var checkpoint: UploadCheckpoint?
    /// Upload: the stored object.
    package var object: UploadedObject?
    /// Register: the file.
    package var fileID: FileID?
    /// Create: the job.
    package var jobID: JobID?
    /// Download listing: the outputs.
    package var outputs: [RemoteOutput]?
    /// Download of one file: what was written.
    package var download: DownloadedFile?
    /// The open intent's deadline (create and submit on Rescale): until then a request it sent may still be acted
    /// on, so a lookup cannot yet prove the step did not happen.
    package var deadline: Date?
    /// The last failure, cleared on success.
    package var error: RecordedError?

    /// Creates an empty step state.
    package init() {}

    /// Whether the step is done.
    package var isSucceeded: Bool { phase == .succeeded }

    /// Whether an intent is open (journaled without an outcome).
    package var isInFlight: Bool {
        if case .inFlight = phase { return true }
        return false
    }
}

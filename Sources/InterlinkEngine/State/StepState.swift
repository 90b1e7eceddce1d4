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
    /// Register: the file.
    package var fileID: FileID?
    /// Create: the job.
    package var jobID: JobID?
    /// The fields only some steps set, out of line (nil when none is set): a run keeps every node's steps to its
    /// end, and inline they made each step state several hundred bytes.
    private var details: Details?

    /// The last upload checkpoint.
    package var checkpoint: UploadCheckpoint? {
        get { payload.checkpoint }
        set { payload.checkpoint = newValue }
    }
    /// Upload: the stored object.
    package var object: UploadedObject? {
        get { payload.object }
        set { payload.object = newValue }
    }
    /// Download listing: the outputs.
    package var outputs: [RemoteOutput]? {
        get { payload.outputs }
        set { payload.outputs = newValue }
    }
    /// Download of one file: what was written.
    package var download: DownloadedFile? {
        get { payload.download }
        set { payload.download = newValue }
    }
    /// The open intent's deadline (create and submit on Rescale): until then a request it sent may still be acted
    /// on, so a lookup cannot yet prove the step did not happen.
    package var deadline: Date? {
        get { payload.deadline }
        set { payload.deadline = newValue }
    }
    /// The last failure, cleared on success.
    package var error: RecordedError? {
        get { payload.error }
        set { payload.error = newValue }
    }

    /// The out-of-line fields, an empty set when none is stored.
    private var payload: Payload {
        get {
            guard case .some(.stored(let payload)) = details else { return Payload() }
            return payload
        }
        set { details = newValue == Payload() ? nil : .stored(newValue) }
    }

    /// The fields only some steps set.
    private struct Payload: Hashable, Sendable {
        var checkpoint: UploadCheckpoint?
        var object: UploadedObject?
        var outputs: [RemoteOutput]?
        var download: DownloadedFile?
        var deadline: Date?
        var error: RecordedError?
    }

    /// A ``Payload`` in a box of its own (an indirect case: one pointer inline, copied on write).
    private indirect enum Details: Hashable, Sendable {
        case stored(Payload)
    }

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

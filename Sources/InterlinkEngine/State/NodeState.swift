import Foundation
import InterlinkCore

/// What the journal says about one node: its content hash, each step, its job's status.
package struct NodeState: Hashable, Sendable {
    /// The node.
    package var id: NodeID
    /// Its display name.
    package var name: String
    /// The content hash it was planned with; a different hash on resume discards this state.
    package var contentHash: String
    /// Each step's state.
    package var steps: [StepRef: StepState] = [:]
    /// The job's last journaled status.
    package var jobStatus: JobStatus?
    /// The dependency whose failure blocked the node, if any.
    package var blockedBy: NodeID?
    /// When a record about the node was last written.
    package var lastUpdated: Date?
    /// How many times its job was given up and the node started over (``JournalEntry/nodeRetried(_:)``).
    package var retries = 0
    /// The job `rescale-int stop` stopped, until the node is retried.
    package var stoppedJob: JobID?

    /// Creates the state of a freshly planned node.
    package init(id: NodeID, name: String, contentHash: String) {
        self.id = id
        self.name = name
        self.contentHash = contentHash
    }

    /// The state of one step (empty when nothing was journaled).
    package subscript(step: StepRef) -> StepState {
        get { steps[step] ?? StepState() }
        set { steps[step] = newValue }
    }

    /// The job, once created.
    package var jobID: JobID? { steps[StepRef(.create)]?.jobID }

    /// The registered files of the node's own uploads, by upload index.
    package var fileIDs: [Int: FileID] {
        var files: [Int: FileID] = [:]
        for (step, state) in steps where step.stage == .register {
            if let item = step.item, let index = Int(item), let id = state.fileID { files[index] = id }
        }
        return files
    }

    /// The most advanced stage with any journaled activity.
    package var furthestStage: StageKind? { steps.filter { $0.value.phase != .notStarted }.keys.map(\.stage).max() }

    /// The newest error among steps that have not succeeded.
    package var openError: RecordedError? {
        steps.sorted { $0.key < $1.key }.last { !$0.value.isSucceeded && $0.value.error != nil }?.value.error
    }
}

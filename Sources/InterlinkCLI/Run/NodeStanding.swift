import InterlinkCore
import InterlinkEngine

/// Where one node stands according to the journal alone: what `status` and `runs` show without a runner.
package enum NodeStanding: String, Hashable, Sendable {
    /// Nothing journaled yet.
    case pending
    /// Some steps done, more to do (or a stop interrupted it).
    case inProgress = "in progress"
    /// Every stage the plan gives it succeeded.
    case done
    /// A step failed for good, the job ended unsuccessfully, or a dependency failed.
    case failed

    /// Classifies a node from its journaled state.
    ///
    /// A job is done when its planned stages are done: its uploads registered, the job created, submitted unless
    /// it is create-only, finished successfully when it is polled, and every listed output downloaded.
    package init(node: PlanNode, state: NodeState?, baseDirectory: String) {
        guard let state, !state.steps.isEmpty || state.blockedBy != nil else {
            self = .pending
            return
        }
        if state.blockedBy != nil || state.steps.values.contains(where: { $0.phase == .failed }) {
            self = .failed
            return
        }
        if let status = state.jobStatus, status.isTerminal, !status.isSuccess {
            self = .failed
            return
        }
        self = Self.isComplete(node: node, state: state, baseDirectory: baseDirectory) ? .done : .inProgress
    }

    private static func isComplete(node: PlanNode, state: NodeState, baseDirectory: String) -> Bool {
        for index in node.uploads.indices where !state[StepRef(.register, item: String(index))].isSucceeded {
            return false
        }
        guard let job = node.job, node.stages.contains(.create) else { return true }
        guard state[StepRef(.create)].isSucceeded else { return false }
        guard job.submit == .submit, node.stages.contains(.submit) else { return true }
        guard state[StepRef(.submit)].isSucceeded else { return false }
        guard node.stages.contains(.poll) else { return true }
        guard state.jobStatus?.isSuccess == true else { return false }
        guard node.stages.contains(.download), job.outputs.download else { return true }
        let listing = state[StepRef(.download)]
        guard listing.isSucceeded else { return false }
        let placements = OutputSelection.placements(of: listing.outputs ?? [], for: job, baseDirectory: baseDirectory)
        return placements.allSatisfy { state[StepRef(.download, item: $0.relativePath)].isSucceeded }
    }
}

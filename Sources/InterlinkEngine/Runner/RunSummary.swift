import InterlinkCore

/// How a run ended, per node: what the CLI prints as the summary table and maps to an exit code.
package struct RunSummary: Hashable, Sendable {
    /// One node's line.
    package struct Node: Hashable, Sendable {
        /// The node.
        package var id: NodeID
        /// Its display name.
        package var name: String
        /// How it ended.
        package var outcome: DependencyScheduler.Outcome?
        /// The most advanced stage it reached.
        package var finalStage: StageKind?
        /// The job's last status.
        package var jobStatus: JobStatus?
        /// The job.
        package var jobID: JobID?
        /// Its registered files (own uploads).
        package var fileIDs: [FileID]
        /// The error that stopped it, if any.
        package var error: String?
    }

    /// The run.
    package var runID: RunID
    /// How it ended.
    package var result: RunResult
    /// Per node, in plan order.
    package var nodes: [Node]
    /// The journal's state when the run ended.
    package var state: RunState

    /// Builds the summary from the journal's state and the scheduler's outcomes.
    package init(
        runID: RunID,
        result: RunResult,
        plan: Plan,
        state: RunState,
        outcomes: [NodeID: DependencyScheduler.Outcome]
    ) {
        self.runID = runID
        self.result = result
        self.state = state
        self.nodes = plan.nodes.map { node in
            let nodeState = state.nodes[node.id]
            var error = nodeState?.openError?.message
            if error == nil, let status = nodeState?.jobStatus, status.isTerminal, !status.isSuccess {
                error = status.failureReason
            }
            if nodeState?.stoppedJob != nil {
                error = "stopped by 'rescale-int stop'; run again with --restart-stopped to redo it"
            }
            if case .blocked(let dependency) = outcomes[node.id] { error = "blocked: '\(dependency)' did not succeed" }
            return Node(
                id: node.id,
                name: node.name,
                outcome: outcomes[node.id],
                finalStage: nodeState?.furthestStage,
                jobStatus: nodeState?.jobStatus,
                jobID: nodeState?.jobID,
                fileIDs: (nodeState?.fileIDs ?? [:]).sorted { $0.key < $1.key }.map(\.value),
                error: error
            )
        }
    }
}

import InterlinkCore

/// Progress an Interlink state file records for one job of the plan, taken over instead of redone.
package struct ImportedJob: Hashable, Sendable {
    /// The plan node the state row belongs to.
    package var node: NodeID
    /// The Rescale job Interlink created, if any: adopted, never created again.
    package var jobID: JobID?
    /// Whether Interlink submitted that job.
    package var submitted: Bool
    /// The archive Interlink uploaded, reused when no job was created yet (its source is unchanged).
    package var fileID: FileID?

    /// Creates an imported job.
    package init(node: NodeID, jobID: JobID?, submitted: Bool, fileID: FileID?) {
        self.node = node
        self.jobID = jobID
        self.submitted = submitted
        self.fileID = fileID
    }
}

/// Maps the rows of an Interlink state file to the plan's jobs, and turns what they record into journal records.
///
/// Rows are matched by job name and directory, never by position (Interlink's index matching could give a job
/// another job's tarball or JobID, spec §13 D-1). The journal stays the only store: an imported job is journaled
/// as a reconciled outcome, as if the engine had found the job by its idempotency key after a lost response.
package enum InterlinkStateImport {
    /// The plan's jobs the rows name, and the rows that name no job of the plan.
    ///
    /// A row matches the job with its name and directory, or else the job with its name when that name is unique
    /// among both the rows and the plan's jobs.
    ///
    /// - Parameters:
    ///   - rows: The state file's rows.
    ///   - plan: The plan of the jobs CSV.
    ///   - reusesFile: Whether a row's uploaded file may be reused for a node (its source is unchanged).
    /// - Returns: One imported job per row with something to take over, and the rows that match no job.
    package static func match(
        rows: [StateRow],
        plan: Plan,
        reusesFile: (StateRow, PlanNode) -> Bool = { _, _ in false }
    ) -> (jobs: [ImportedJob], unmatched: [StateRow]) {
        var jobs: [ImportedJob] = []
        var unmatched: [StateRow] = []
        var taken: Set<NodeID> = []
        let rowNames = Dictionary(rows.map { ($0.jobName, 1) }, uniquingKeysWith: +)
        let jobNames = Dictionary(plan.nodes.filter { $0.job != nil }.map { ($0.name, 1) }, uniquingKeysWith: +)
        var pairs: [(StateRow, PlanNode)] = []
        for row in rows {
            // Name and directory; else a name unique in both (the project moved since Interlink ran).
            let exact = plan.nodes.first { node in
                node.job != nil && node.name == row.jobName && !taken.contains(node.id)
                    && (row.directory.isEmpty || directory(of: node) == row.directory)
            }
            let unique =
                rowNames[row.jobName] == 1 && jobNames[row.jobName] == 1
                ? plan.nodes.first { $0.job != nil && $0.name == row.jobName && !taken.contains($0.id) } : nil
            guard let node = exact ?? unique else {
                unmatched.append(row)
                continue
            }
            taken.insert(node.id)
            pairs.append((row, node))
        }
        for (row, node) in pairs {
            let jobID = row.jobID.isEmpty ? nil : JobID(row.jobID)
            let fileID =
                jobID == nil && row.uploadStatus == .success && !row.fileID.isEmpty && node.uploads.count == 1
                    && reusesFile(row, node)
                ? FileID(row.fileID) : nil
            guard jobID != nil || fileID != nil else { continue }
            jobs.append(
                ImportedJob(node: node.id, jobID: jobID, submitted: row.submitStatus == .success, fileID: fileID)
            )
        }
        return (jobs, unmatched)
    }

    /// The absolute directory a node archives, as Interlink's Directory column names it; empty for none.
    package static func directory(of node: PlanNode) -> String {
        if case .archive(let archive) = node.uploads.first?.source { return archive.directory }
        return ""
    }

    /// The reconciled outcomes that take over the imported jobs the journal knows nothing about yet.
    ///
    /// A node the journal already has progress for (a step begun, a job, a retry) keeps its journaled progress: the
    /// journal always wins over the file.
    ///
    /// - Parameters:
    ///   - jobs: The imported jobs.
    ///   - plan: The plan being run.
    ///   - state: The journal's state once the plan's nodes are planned.
    ///   - run: The run, for the steps' idempotency keys.
    /// - Returns: The records, in the order of `jobs`.
    package static func records(_ jobs: [ImportedJob], plan: Plan, state: RunState, run: RunID) -> [JournalRecord] {
        var records: [JournalRecord] = []
        for imported in jobs {
            guard let node = plan.node(imported.node), let nodeState = state.nodes[node.id],
                nodeState.steps.isEmpty, nodeState.retries == 0
            else { continue }
            func succeeded(_ step: StepRef, _ fill: (inout JournalEntry.Outcome) -> Void) {
                var outcome = JournalEntry.Outcome(
                    node: node.id,
                    step: step,
                    attempt: 1,
                    key: step.idempotencyKey(run: run, node: node.id, content: node.contentHash),
                    result: .succeeded,
                    reconciled: true
                )
                fill(&outcome)
                records.append(.outcome(outcome))
            }
            for index in node.uploads.indices {
                succeeded(StepRef(.upload, item: String(index))) { _ in }
                let fileID = index == 0 ? imported.fileID : nil
                succeeded(StepRef(.register, item: String(index))) { $0.fileID = fileID }
            }
            guard let jobID = imported.jobID else { continue }
            succeeded(StepRef(.create)) { $0.jobID = jobID }
            if imported.submitted { succeeded(StepRef(.submit)) { _ in } }
        }
        return records
    }
}

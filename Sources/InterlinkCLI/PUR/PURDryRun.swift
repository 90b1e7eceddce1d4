import Foundation
import InterlinkCore
import InterlinkEngine

/// What `pur run --dry-run` and `pur resume --dry-run` say would happen to each job: worked out from the plan,
/// the latest run's journal and the jobs an Interlink state file records, the way the run itself decides, and
/// without touching the platform, the journal or any file.
package struct PURDryRun: Hashable, Sendable, Codable {
    /// What a run would do with one node.
    package enum Action: String, Hashable, Sendable, Codable {
        /// Everything is done.
        case nothing
        /// Start the node from its first stage.
        case start
        /// Continue the node at a stage the journal left unfinished.
        case resume
        /// Take over a job an Interlink state file records.
        case adopt
        /// Redo the node: it changed since the run started.
        case redo
        /// Give the node a new job: its job failed.
        case retry
        /// Leave the node's job as it is (stopped by `rescale-int stop`, or its row was removed).
        case leave
    }

    /// One node's line.
    package struct Entry: Hashable, Sendable, Codable {
        /// The job's (or shared input's) name.
        package var name: String
        /// What would happen.
        package var action: Action
        /// The stage the node would start or continue at, if any.
        package var stage: String?
        /// The platform job it has or would adopt, if any.
        package var jobID: String?
        /// The line for people.
        package var message: String
    }

    /// The workflow file.
    package var workflow: String
    /// The run that would be continued; nil when a new run would start.
    package var run: String?
    /// One entry per node of the plan, in plan order.
    package var jobs: [Entry]
    /// Jobs of the run that the CSV no longer has (left alone).
    package var removed: [Entry]

    /// Works out what a run would do.
    ///
    /// - Parameters:
    ///   - plan: The plan (flags applied).
    ///   - latest: The workflow's latest run on the same platform, if any.
    ///   - imported: The jobs an Interlink state file records (empty for none).
    ///   - statePath: The state file as the user named it, for messages.
    /// - Returns: The description.
    package static func describe(
        plan: Plan,
        latest: RunSnapshot?,
        imported: [ImportedJob],
        statePath: String?
    ) -> PURDryRun {
        let adopted = Dictionary(imported.map { ($0.node, $0) }) { first, _ in first }
        let changes = latest.map { PlanDiff.changes(of: plan, against: $0.state) } ?? [:]
        let retried = Set(
            latest.map { Engine.retries(plan: plan, state: $0.state, restartsStopped: false) }?.compactMap(\.entry.node)
                ?? []
        )
        let jobs = plan.nodes.map { node -> Entry in
            let state = latest?.state.nodes[node.id]
            switch changes[node.id] {
            case .changed?:
                var entry = fresh(node, imported: adopted[node.id], statePath: statePath)
                if entry.action != .adopt { entry.action = .redo }
                entry.message = "changed since run \(latest?.runID.rawValue ?? "?") started; " + entry.message
                return entry
            case .unchanged? where state?.steps.values.contains(where: { $0.phase != .notStarted }) == true:
                if state?.jobID == nil, let job = adopted[node.id], job.jobID != nil {
                    return fresh(node, imported: job, statePath: statePath)
                }
                return progress(
                    node,
                    state: state ?? NodeState(id: node.id, name: node.name, contentHash: ""),
                    retried: retried.contains(node.id)
                )
            default:
                return fresh(node, imported: adopted[node.id], statePath: statePath)
            }
        }
        let removed =
            (latest.map { run in
                PlanDiff.changes(of: plan, against: run.state).filter { $0.value == .removed }.compactMap {
                    run.state.nodes[$0.key]
                }
            } ?? []).sorted { $0.name < $1.name }.map { node in
                Entry(
                    name: node.name,
                    action: .leave,
                    stage: nil,
                    jobID: node.jobID?.rawValue,
                    message: "removed from the workflow since the run started"
                        + (node.jobID.map { "; job \($0) is left alone on the platform" } ?? "")
                )
            }
        return PURDryRun(workflow: plan.source, run: latest?.runID.rawValue, jobs: jobs, removed: removed)
    }

    /// A node the journal has nothing about: started from scratch, or taken over from the state file.
    ///
    /// - Parameters:
    ///   - node: The node.
    ///   - imported: What the state file records for it, if anything.
    ///   - statePath: The state file as the user named it.
    /// - Returns: The node's entry.
    package static func fresh(_ node: PlanNode, imported: ImportedJob?, statePath: String?) -> Entry {
        let state = statePath ?? "the state file"
        if let imported, let jobID = imported.jobID {
            let next: String
            if node.job?.submit != .submit {
                next = "created only: nothing more to do"
            } else if imported.submitted {
                next =
                    "would be followed to the end"
                    + (node.stages.contains(.download) ? " and its outputs downloaded" : "")
            } else {
                next = "would be submitted"
            }
            return Entry(
                name: node.name,
                action: .adopt,
                stage: imported.submitted ? StageKind.poll.rawValue : StageKind.submit.rawValue,
                jobID: jobID.rawValue,
                message: "adopted from \(state) JobID \(jobID); \(next)"
            )
        }
        var reused = ""
        var parts: [String] = []
        var uploads = node.uploads
        if let imported, let file = imported.fileID, !uploads.isEmpty {
            uploads.removeFirst()
            reused = "would reuse file \(file) from \(state); "
        }
        if !uploads.isEmpty {
            let files = uploads.reduce(0) { $0 + $1.fileCount }
            let bytes = uploads.reduce(Int64(0)) { $0 + $1.bytes }
            let verb = uploads.contains(where: \.isArchive) ? "archived and uploaded" : "uploaded"
            parts.append("\(verb) (\(files) files, \(RecordOutput.bytes(bytes)))")
        }
        if node.job != nil {
            let attached = node.existingFiles.map(\.id)
            let with = attached.isEmpty ? "" : " with files \(attached.joined(separator: ", "))"
            if node.stages.contains(.submit) {
                let follow = node.stages.contains(.download) ? ", followed and its outputs downloaded" : ""
                parts.append("created\(with) and submitted\(follow)")
            } else {
                parts.append("created\(with) (not submitted)")
            }
        }
        let first = uploads.isEmpty ? node.stages.first { $0 >= .create } : node.stages.first
        return Entry(
            name: node.name,
            action: .start,
            stage: first?.rawValue,
            jobID: nil,
            message: reused
                + (parts.isEmpty ? "nothing to upload or run" : "would be " + parts.joined(separator: ", then "))
        )
    }

    /// A node the journal knows: the first step it has not finished.
    ///
    /// - Parameters:
    ///   - node: The node.
    ///   - state: What the journal says about it.
    ///   - retried: Whether its job failed and the run would give it a new one (``Engine/retries(plan:state:restartsStopped:)``).
    /// - Returns: The node's entry.
    package static func progress(_ node: PlanNode, state: NodeState, retried: Bool) -> Entry {
        let jobID = state.jobID?.rawValue
        func entry(_ action: Action, _ stage: StageKind?, _ message: String) -> Entry {
            Entry(name: node.name, action: action, stage: stage?.rawValue, jobID: jobID, message: message)
        }
        if let stopped = state.stoppedJob {
            return entry(.leave, nil, "job \(stopped) was stopped with 'rescale-int stop': left alone")
        }
        if retried {
            let status = state.jobStatus?.name ?? "failed"
            return entry(.retry, node.stages.first, "job \(jobID ?? "?") ended \(status): would get a new job")
        }
        for index in node.uploads.indices {
            let upload = state[StepRef(.upload, item: String(index))]
            if state[StepRef(.register, item: String(index))].isSucceeded { continue }
            if upload.isSucceeded {
                return entry(.resume, .register, "would resume at register (\(node.uploads[index].name) is uploaded)")
            }
            let how =
                upload.checkpoint != nil
                ? "continuing from its checkpoint" : upload.phase == .notStarted ? "not started" : "from the start"
            return entry(.resume, .upload, "would resume at upload of \(node.uploads[index].name) (\(how))")
        }
        guard let job = node.job else { return entry(.nothing, nil, "done, nothing to do") }
        let create = state[StepRef(.create)]
        if !create.isSucceeded {
            let note = create.isInFlight ? " (looked up first: its create may have reached the platform)" : ""
            let submit = node.stages.contains(.submit) ? " and submitted" : ""
            return entry(.resume, .create, "would be created\(submit)\(note)")
        }
        let created = "job \(jobID ?? "?")"
        if job.submit == .submit, node.stages.contains(.submit), !state[StepRef(.submit)].isSucceeded {
            return entry(.resume, .submit, "\(created) is created: would be submitted")
        }
        if node.stages.contains(.poll), !state[StepRef(.poll)].isSucceeded {
            let status = state.jobStatus.map { " (last status \($0.name))" } ?? ""
            return entry(.resume, .poll, "\(created) is submitted\(status): would be followed to the end")
        }
        if node.stages.contains(.download), job.outputs.download {
            let listing = state[StepRef(.download)]
            let files = state.steps.filter { $0.key.stage == .download && $0.key.item != nil }
            let listed = listing.outputs?.count ?? 0
            if !listing.isSucceeded || files.values.contains(where: { !$0.isSucceeded })
                || (files.isEmpty && listed > 0)
            {
                return entry(.resume, .download, "\(created) has ended: would download its outputs")
            }
        }
        return entry(.nothing, nil, "done, nothing to do")
    }

    /// The text for people: one line per node, then the removed jobs and a count.
    package var text: String {
        var lines = ["dry run of '\(workflow)': " + (run.map { "would continue run \($0)" } ?? "would start a new run")]
        for job in jobs { lines.append("job \(job.name): \(job.message)") }
        for job in removed { lines.append("job \(job.name): \(job.message)") }
        let done = jobs.filter { $0.action == .nothing || $0.action == .leave }.count
        lines.append(
            "\(jobs.count) jobs: \(done) with nothing to do, \(jobs.count - done) to do; nothing was changed (dry run)"
        )
        return lines.joined(separator: "\n") + "\n"
    }
}

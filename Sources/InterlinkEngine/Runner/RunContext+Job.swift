import InterlinkCore
import InterlinkSystem
import Logging

extension RunContext {
    /// The create step: adopts a job found by its key (in the run's listing, or by reconciliation), else creates
    /// it once.
    func createWork(_ node: PlanNode, job: JobSpec, plan: Plan) -> StepWork {
        StepWork(
            node: node,
            step: StepRef(.create),
            perform: { _, key in
                if let existing = existingJobs.job(for: key) {
                    configuration.logger.debug(
                        "engine.create.adopted",
                        metadata: ["job.id": "\(node.id)", "platform.job_id": "\(existing)"]
                    )
                    return .job(existing)
                }
                // Only the nodes it reads: a copy of the whole state held while the journal folds a record in
                // would make that fold copy every node's state.
                var needed = [node.id]
                for case .shared(let name) in job.inputs {
                    if let shared = plan.node(.shared(name)) { needed.append(shared.id) }
                }
                let state = await journal.nodeStates(needed)
                let inputs = Self.inputFiles(of: node, job: job, plan: plan, state: state)
                let request = JobRequest(name: job.name, spec: job, inputFiles: inputs, idempotencyKey: key)
                return .job(try await withAPIPermit { try await platform.createJob(request) })
            },
            reconcile: { key in
                try await withAPIPermit { try await platform.adoptJob(idempotencyKey: key) }.map {
                    .adoptedJob($0)
                }
            }
        )
    }

    /// The submit step: a job whose status is past "not submitted" counts as submitted.
    func submitWork(_ node: PlanNode, job: JobID) -> StepWork {
        StepWork(
            node: node,
            step: StepRef(.submit),
            perform: { _, _ in
                // On resume the journal may have lost the records of a submit that happened: read the status first.
                if existingJobs.isResumedRun,
                    try await withAPIPermit({ try await platform.status(of: job) }).isSubmitted
                {
                    return .submitted
                }
                try await withAPIPermit { try await platform.submit(job) }
                return .submitted
            },
            reconcile: { _ in
                try await withAPIPermit { try await platform.status(of: job) }.isSubmitted ? .submitted : nil
            }
        )
    }

    /// The poll step: reads the status every poll interval (with jitter) until it is terminal, journaling each change.
    ///
    /// A stop request ends it at the next tick without an outcome; resume polls again.
    func pollWork(_ node: PlanNode, job: JobID) -> StepWork {
        let interval = configuration.plan.settings.pollIntervalSeconds
        return StepWork(
            node: node,
            step: StepRef(.poll),
            perform: { _, _ in
                var last = await journal.nodeState(node.id)?.jobStatus
                var waited: JobStatus?
                while true {
                    if configuration.stop.isRequested { throw StopRequested() }
                    let status: JobStatus
                    if let known = waited {
                        status = known
                    } else {
                        status = try await apiPool.withPermit { try await platform.status(of: job) }
                    }
                    if status != last {
                        try await journal.append(.jobStatus(node.id, job: job, status: status), durability: .deferred)
                        var event = event(.jobStatusChanged, node: node)
                        event.jobID = job
                        event.status = status.name
                        event.statusReason = status.reason
                        configuration.events.receive(event)
                        if case .unknown(let text) = status {
                            configuration.logger.warning(
                                "engine.poll.unknown_status",
                                metadata: ["job.id": "\(node.id)", "status": "\(text)"]
                            )
                        }
                        last = status
                    }
                    if status.isTerminal { return .status(status) }
                    let seconds = interval * (0.8 + 0.4 * configuration.jitter())
                    // A platform that hears of the end at once is waited on, a few intervals at most (a stop
                    // request is still seen within a second); any other is asked again after the interval.
                    let limit = min(max(seconds * Self.endWaitIntervals, seconds), 1)
                    waited = try await platform.waitForEnd(of: job, upTo: .milliseconds(Int64(limit * 1000)))
                    if waited == nil {
                        // A stop ends the interval (the next tick sees it), instead of waiting out up to 36 s.
                        try await configuration.stop.sleep(
                            for: .milliseconds(Int64(seconds * 1000)),
                            on: configuration.clock
                        )
                    }
                }
            },
            reconcile: nil
        )
    }

    /// How many poll intervals a wait for a job's end may last (at most a second), on a platform that offers one.
    static let endWaitIntervals = 10.0

    /// Lists the outputs once (journaled), then downloads each selected one, skipping files already present.
    func download(_ node: PlanNode, job: JobSpec, jobID: JobID, plan: Plan) async throws -> [StepEnd] {
        let listing = StepWork(
            node: node,
            step: StepRef(.download),
            perform: { _, _ in
                .outputs(try await apiPool.withPermit { try await platform.listOutputs(of: jobID) })
            },
            reconcile: nil
        )
        let listed = try await runStep(listing)
        guard case .succeeded(let state) = listed else { return [listed] }
        let placements = OutputSelection.placements(
            of: state.outputs ?? [],
            for: job,
            baseDirectory: plan.baseDirectory
        )
        let destination = OutputSelection.destination(of: job, baseDirectory: plan.baseDirectory)
        let noSpace = try await Blocking.run { () throws(PlatformError) in
            try Self.checkFreeSpace(for: placements, in: destination)
        }
        return try await placements.concurrentMap(limit: max(plan.settings.workers.transfer, 1)) { placement in
            let step = StepRef(.download, item: placement.relativePath)
            // Names were checked at validate time; this holds whatever the platform named a file and whatever
            // links sit in the destination already.
            guard PathContainment.isInside(placement.path, directory: destination) else {
                let refusal = PlatformError(
                    .localFile(
                        path: placement.path,
                        message: "refusing to write outside the job's destination '\(destination)' (a link or name "
                            + "leads elsewhere)"
                    ),
                    retryClass: .fatal
                )
                return try await runStep(
                    StepWork(node: node, step: step, perform: { _, _ in throw refusal }, reconcile: nil)
                )
            }
            let base = plan.baseDirectory
            let verify: @Sendable () async throws -> StepProduct? = {
                try await platform.verifyDownload(placement.output, at: placement.path).map {
                    .download($0.relative(to: base))
                }
            }
            if configuration.rechecksOutputs { try await recheck(node, step: step, verify: verify) }
            return try await runStep(
                StepWork(
                    node: node,
                    step: step,
                    perform: { _, _ in
                        if let present = try await verify() { return present }
                        if let noSpace { throw noSpace }
                        let file = try await transferPool.withPermit {
                            try await platform.download(placement.output, to: placement.path) { progress in
                                announce(progress, node: node, step: step)
                            }
                        }
                        return .download(file.relative(to: base))
                    },
                    reconcile: { _ in try await verify() }
                )
            )
        }
    }

    /// Marks a journaled download whose file is missing or changed at its destination as absent, so the step
    /// fetches it again (outputs on demand: a complete run run again, `rescale-int outputs`).
    private func recheck(_ node: PlanNode, step: StepRef, verify: @Sendable () async throws -> StepProduct?)
        async throws
    {
        guard let prior = await journal.nodeState(node.id)?[step], prior.isSucceeded, try await verify() == nil
        else { return }
        let outcome = JournalEntry.Outcome(
            node: node.id,
            step: step,
            attempt: max(prior.attempts, 1),
            key: prior.key ?? step.idempotencyKey(run: runID, node: node.id, content: node.contentHash),
            result: .absent,
            reconciled: true
        )
        try await journal.append(.outcome(outcome))
        configuration.logger.debug(
            "engine.download.missing",
            metadata: ["job.id": "\(node.id)", "download.item": "\(step.item ?? "")"]
        )
    }

    /// A job's input files in attachment order.
    ///
    /// Its inputs as written (own uploads, shared inputs, existing files) come first, then any upload or existing
    /// file not named there. Shared inputs come from their own nodes.
    static func inputFiles(of node: PlanNode, job: JobSpec, plan: Plan, state: RunState) -> [JobInputFile] {
        var files: [JobInputFile] = []
        var seen: Set<FileID> = []
        func add(_ id: FileID?, _ decompress: Bool) {
            guard let id, seen.insert(id).inserted else { return }
            files.append(JobInputFile(id: id, decompress: decompress))
        }
        func addAll(of other: PlanNode) {
            let ids = state.nodes[other.id]?.fileIDs ?? [:]
            for (index, upload) in other.uploads.enumerated() { add(ids[index], upload.decompress) }
            for existing in other.existingFiles { add(FileID(existing.id), existing.decompress) }
        }
        let own = state.nodes[node.id]?.fileIDs ?? [:]
        var usedUploads: Set<Int> = []
        for input in job.inputs {
            switch input {
            case .archive(let archive):
                let index = node.uploads.indices.first {
                    !usedUploads.contains($0) && node.uploads[$0].source == .archive(archive)
                }
                if let index {
                    usedUploads.insert(index)
                    add(own[index], node.uploads[index].decompress)
                }
            case .shared(let name):
                if let shared = plan.node(.shared(name)) { addAll(of: shared) }
            case .existing(let existing):
                add(FileID(existing.id), existing.decompress)
            }
        }
        for (index, upload) in node.uploads.enumerated() where !usedUploads.contains(index) {
            add(own[index], upload.decompress)
        }
        for existing in node.existingFiles { add(FileID(existing.id), existing.decompress) }
        return files
    }
}

extension DownloadedFile {
    /// The record the journal keeps: the path relative to the workflow folder when it is inside it, so a study
    /// folder copied or moved elsewhere does not name the original's files.
    fileprivate func relative(to baseDirectory: String) -> DownloadedFile {
        var file = self
        file.path = PathName.relative(path, to: baseDirectory) ?? path
        return file
    }
}

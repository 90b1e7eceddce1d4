import InterlinkCore
import Logging

extension RunContext {
    /// Runs every step of one node that is not done yet; returns how the node ended.
    func run(_ node: PlanNode, plan: Plan) async throws -> DependencyScheduler.Outcome {
        if configuration.stop.isRequested { return .interrupted }
        let uploads = try await node.uploads.indices.concurrentMap(limit: max(plan.settings.workers.transfer, 1)) {
            index in
            let uploaded = try await runStep(uploadWork(node, index: index))
            guard case .succeeded = uploaded else { return uploaded }
            return try await runStep(registerWork(node, index: index))
        }
        if let outcome = Self.combine(uploads) { return outcome }
        guard let job = node.job, node.stages.contains(.create) else { return .succeeded }
        // A job `rescale-int stop` stopped stays stopped unless the run restarts it (`--restart-stopped`).
        if await journal.nodeState(node.id)?.stoppedJob != nil { return .failed }
        let created = try await runStep(createWork(node, job: job, plan: plan))
        guard case .succeeded(let createState) = created, let jobID = createState.jobID else {
            return Self.combine([created]) ?? .failed
        }
        guard job.submit == .submit, node.stages.contains(.submit) else { return .succeeded }
        let submitted = try await runStep(submitWork(node, job: jobID))
        if let outcome = Self.combine([submitted]) { return outcome }
        guard node.stages.contains(.poll) else { return .succeeded }
        let polled = try await runStep(pollWork(node, job: jobID))
        if let outcome = Self.combine([polled]) { return outcome }
        if node.stages.contains(.download), job.outputs.download {
            let downloaded = try await download(node, job: job, jobID: jobID, plan: plan)
            if let outcome = Self.combine(downloaded) { return outcome }
        }
        let status = await journal.nodeState(node.id)?.jobStatus
        return status?.isSuccess == true ? .succeeded : .failed
    }

    /// Nil when every step succeeded; otherwise interrupted (when any was) or failed.
    static func combine(_ ends: [StepEnd]) -> DependencyScheduler.Outcome? {
        var outcome: DependencyScheduler.Outcome?
        for end in ends {
            switch end {
            case .succeeded: continue
            case .interrupted: outcome = .interrupted
            case .failed: if outcome == nil { outcome = .failed }
            }
        }
        return outcome
    }

    private func uploadWork(_ node: PlanNode, index: Int) -> StepWork {
        let step = StepRef(.upload, item: String(index))
        let upload = node.uploads[index]
        return StepWork(
            node: node,
            step: step,
            perform: { _, key in
                let checkpoint = await journal.nodeState(node.id)?[step].checkpoint
                let object = try await archivePool.withPermit {
                    try await transferPool.withPermit {
                        try await platform.upload(upload, idempotencyKey: key, resumingFrom: checkpoint) { progress in
                            if let checkpoint = progress.checkpoint {
                                try await journal.append(.checkpoint(node.id, step, key: key, checkpoint))
                            }
                            announce(progress, node: node, step: step)
                        }
                    }
                }
                return .object(object)
            },
            reconcile: nil
        )
    }

    private func registerWork(_ node: PlanNode, index: Int) -> StepWork {
        let uploadStep = StepRef(.upload, item: String(index))
        let storedObject: @Sendable () async throws -> UploadedObject = {
            guard let object = await journal.nodeState(node.id)?[uploadStep].object else {
                throw PlatformError(.notFound("uploaded object of '\(node.name)'"), retryClass: .fatal)
            }
            return object
        }
        return StepWork(
            node: node,
            step: StepRef(.register, item: String(index)),
            perform: { _, key in
                let object = try await storedObject()
                return .file(
                    try await apiPool.withPermit { try await platform.registerFile(object, idempotencyKey: key) }
                )
            },
            reconcile: { key in
                let object = try await storedObject()
                return try await apiPool.withPermit { try await platform.findFile(for: object, idempotencyKey: key) }
                    .map {
                        .file($0)
                    }
            }
        )
    }

    /// Reports transfer progress as an event.
    func announce(_ progress: TransferProgress, node: PlanNode, step: StepRef) {
        var event = event(.transferProgress, node: node)
        event.stage = step.stage
        event.item = step.item
        event.bytes = progress.bytes
        event.totalBytes = progress.totalBytes
        configuration.events.receive(event)
    }
}

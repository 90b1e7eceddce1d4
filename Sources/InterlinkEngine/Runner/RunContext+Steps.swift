import Foundation
import InterlinkCore
import Logging

/// What a successful step produced, journaled in its outcome.
enum StepProduct: Sendable {
    case object(UploadedObject)
    case file(FileID)
    case job(JobID)
    /// A reconciled create: the job kept, and the duplicates deleted.
    case adoptedJob(AdoptedJob)
    case submitted
    case status(JobStatus)
    case outputs([RemoteOutput])
    case download(DownloadedFile)

    func fill(_ outcome: inout JournalEntry.Outcome) {
        switch self {
        case .object(let object): outcome.object = object
        case .file(let id): outcome.fileID = id
        case .job(let id): outcome.jobID = id
        case .adoptedJob(let adopted):
            outcome.jobID = adopted.job
            outcome.removedJobs = adopted.removedDuplicates.isEmpty ? nil : adopted.removedDuplicates
        case .submitted: break
        case .status(let status):
            outcome.status = status.name
            outcome.statusReason = status.reason
        case .outputs(let outputs): outcome.outputs = outputs
        case .download(let file): outcome.download = file
        }
    }
}

/// How a step ended for this runner.
enum StepEnd: Sendable {
    case succeeded(StepState)
    case failed(String)
    case interrupted
}

/// One step to run: its work and, for steps whose effect can be uncertain, its reconciliation lookup.
struct StepWork: Sendable {
    var node: PlanNode
    var step: StepRef
    var perform: @Sendable (_ attempt: Int, _ key: IdempotencyKey) async throws -> StepProduct
    var reconcile: (@Sendable (_ key: IdempotencyKey) async throws -> StepProduct?)?
}

extension RunContext {
    /// Runs one step to success, failure or interruption, driven by its ``StageMachine``.
    func runStep(_ work: StepWork) async throws -> StepEnd {
        let id = work.node.id
        let nodeState = await journal.nodeState(id)
        let prior = nodeState?[work.step] ?? StepState()
        // The journaled key when there is one: an open intent is reconciled with the key its call carried. A retried
        // node's job steps get keys of their own, so a lookup never adopts the job that failed.
        var key = work.step.idempotencyKey(run: runID, node: id, content: work.node.contentHash)
        if let retries = nodeState?.retries, retries > 0, work.step.stage >= .create {
            key = IdempotencyKey(key.rawValue + "#retry\(retries)")
        }
        key = prior.key ?? key
        if prior.isSucceeded { return .succeeded(prior) }
        var machine = StageMachine(
            maxAttempts: configuration.plan.settings.attempts(for: work.step.stage),
            reconcilesBeforeRetry: work.reconcile != nil,
            backoff: configuration.backoff,
            jitter: configuration.jitter
        )
        let uncertain = prior.isInFlight || (prior.phase == .failed && prior.error?.retryClass == .needsReconcile)
        var action = machine.handle(
            .start(openIntent: uncertain ? prior.attempts : nil, previousAttempts: prior.attempts)
        )
        while true {
            switch action {
            case .reconcile(let attempt):
                guard let found = try await reconcile(work, key: key, attempt: attempt) else {
                    action = machine.handle(.cancelled)
                    continue
                }
                action = machine.handle(.reconciled(found: found))
            case .run(let attempt):
                if configuration.stop.isRequested { return .interrupted }
                action = try await performAttempt(work, key: key, attempt: attempt, machine: &machine)
            case .wait(let delay, let attempt):
                configuration.logger.debug(
                    "engine.step.retry_wait",
                    metadata: logMetadata(work, attempt: attempt).merging(["delay": "\(delay)"]) { $1 }
                )
                var event = stepEvent(.stageRetrying, work, attempt: attempt)
                event.delaySeconds = Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18
                configuration.events.receive(event)
                // A stop ends the wait: the attempt that follows sees it and returns interrupted.
                try await configuration.stop.sleep(for: delay, on: configuration.clock)
                action = machine.handle(.waited)
            case .complete:
                return .succeeded(await journal.nodeState(id)?[work.step] ?? StepState())
            case .fail(let reason, let stopsRun):
                if stopsRun { configuration.stop.requestStop() }
                return .failed(reason)
            case .interrupt:
                return .interrupted
            }
        }
    }

    /// Performs one attempt; a create or submit with a request window holds its API permit from before its intent
    /// is journaled, so the journaled deadline starts when the call may go out, not while it waits for its turn
    /// behind other jobs' calls (which made a long queue miss its own window).
    private func performAttempt(_ work: StepWork, key: IdempotencyKey, attempt: Int, machine: inout StageMachine)
        async throws -> StageMachine.Action
    {
        guard requestBound(for: work.step) != nil, !APIPermit.isHeld else {
            return try await performHeldAttempt(work, key: key, attempt: attempt, machine: &machine)
        }
        if work.step.stage == .submit, configuration.platform.groupsSubmissions {
            // The platform paces its submissions and groups those that arrive together (one Slurm array for a
            // sweep): a permit per submission would let only as many jobs reach it at once as there are workers.
            return try await APIPermit.$isHeld.withValue(true) {
                try await performHeldAttempt(work, key: key, attempt: attempt, machine: &machine)
            }
        }
        return try await apiPool.withPermit {
            try await APIPermit.$isHeld.withValue(true) {
                try await performHeldAttempt(work, key: key, attempt: attempt, machine: &machine)
            }
        }
    }

    private func performHeldAttempt(
        _ work: StepWork,
        key: IdempotencyKey,
        attempt: Int,
        machine: inout StageMachine
    ) async throws -> StageMachine.Action {
        let bound = requestBound(for: work.step)
        try await journal.append(
            .intent(work.node.id, work.step, attempt: attempt, key: key, deadline: bound?.deadline)
        )
        configuration.events.receive(stepEvent(.stageStarted, work, attempt: attempt))
        let product: StepProduct
        do {
            product = try await RequestBound.$sendBy.withValue(bound?.sendBy) {
                try await LogContext.$current.withValue(logContext(work, attempt: attempt)) {
                    // The API client's retry waits end on a stop, as the engine's own do.
                    try await StopSignal.$current.withValue(configuration.stop) {
                        try await work.perform(attempt, key)
                    }
                }
            }
        } catch is StopRequested {
            return machine.handle(.cancelled)
        } catch let error as JournalError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            let error =
                error as? PlatformError
                ?? PlatformError(
                    .localFile(path: work.node.name, message: ErrorText.describe(error)),
                    retryClass: .fatal
                )
            var outcome = JournalEntry.Outcome(
                node: work.node.id,
                step: work.step,
                attempt: attempt,
                key: key,
                result: .failed
            )
            outcome.error = RecordedError(message: error.message, retryClass: error.retryClass)
            try await journal.append(.outcome(outcome), durability: .deferred)
            var event = stepEvent(.stageFailed, work, attempt: attempt)
            event.message = error.message
            event.retryClass = error.retryClass
            configuration.events.receive(event)
            return machine.handle(
                .failed(reason: error.message, retryClass: error.retryClass, retryAfter: error.retryAfter)
            )
        }
        var outcome = JournalEntry.Outcome(
            node: work.node.id,
            step: work.step,
            attempt: attempt,
            key: key,
            result: .succeeded
        )
        product.fill(&outcome)
        try await journal.append(.outcome(outcome), durability: .deferred)
        configuration.events.receive(succeededEvent(work, attempt: attempt, product: product))
        return machine.handle(.succeeded)
    }

    /// For create and submit on a platform whose requests can outlive the process: the last moment the attempt may
    /// send (now + the call's timeout) and the journaled deadline after which nothing it sent can be acted on
    /// (that plus the platform's margin, rounded up to the whole second the journal keeps).
    private func requestBound(for step: StepRef) -> (sendBy: Date, deadline: Date)? {
        guard step.stage == .create || step.stage == .submit, let window = configuration.platform.requestWindow
        else { return nil }
        let now = configuration.now()
        let sendBy = now.addingTimeInterval(window.timeout.timeInterval)
        let deadline = Date(timeIntervalSince1970: (now.timeIntervalSince1970 + window.total.timeInterval).rounded(.up))
        return (sendBy, deadline)
    }

    /// Looks the uncertain attempt's effect up by its key: whether it was found, or nil when a stop came first (the
    /// intent stays open, to be looked up by the resumed run).
    private func reconcile(_ work: StepWork, key: IdempotencyKey, attempt: Int) async throws -> Bool? {
        guard let lookup = work.reconcile else { return false }
        var lookups = 1
        while true {
            if configuration.stop.isRequested { return nil }
            do {
                let product = try await LogContext.$current.withValue(logContext(work, attempt: attempt)) {
                    try await StopSignal.$current.withValue(configuration.stop) { try await lookup(key) }
                }
                let decision = product == nil ? "absent: run the step again" : "found: adopt the result"
                configuration.logger.debug(
                    "engine.reconcile.decided",
                    metadata: logMetadata(work, attempt: attempt).merging([
                        "decision": "\(decision)", "lookups": "\(lookups)",
                    ]) { $1 }
                )
                let result: StepResult = product == nil ? .absent : .succeeded
                var outcome = JournalEntry.Outcome(
                    node: work.node.id,
                    step: work.step,
                    attempt: attempt,
                    key: key,
                    result: result,
                    reconciled: true
                )
                product?.fill(&outcome)
                try await journal.append(.outcome(outcome), durability: .deferred)
                var event = stepEvent(.stageReconciled, work, attempt: attempt)
                event.found = product != nil
                configuration.events.receive(event)
                if let product {
                    configuration.events.receive(succeededEvent(work, attempt: attempt, product: product))
                }
                return product != nil
            } catch let error as PlatformError
                where error.retryClass != .credential && error.retryClass != .fatal
                && lookups < configuration.plan.settings.defaultAttempts
            {
                let delay = configuration.backoff.delay(
                    forRetry: lookups,
                    floor: error.retryAfter,
                    fraction: configuration.jitter()
                )
                let clock = configuration.clock
                if try await configuration.stop.wait({ try await clock.sleep(for: delay) }) {
                    return nil
                }
                lookups += 1
            } catch is StopRequested {
                return nil
            }
        }
    }

    /// What log lines below this step name: the run, the job, the stage and the attempt.
    func logContext(_ work: StepWork, attempt: Int) -> LogContext {
        LogContext(runID: runID.rawValue, jobName: work.node.name, stage: work.step.stage.rawValue, attempt: attempt)
    }

    /// ``logContext(_:attempt:)`` as metadata for the engine's own log lines.
    func logMetadata(_ work: StepWork, attempt: Int) -> Logger.Metadata {
        logContext(work, attempt: attempt).metadata.mapValues { .string($0) }
    }

    func stepEvent(_ kind: EngineEvent.Kind, _ work: StepWork, attempt: Int?) -> EngineEvent {
        var event = event(kind, node: work.node)
        event.stage = work.step.stage
        event.item = work.step.item
        event.attempt = attempt
        return event
    }

    private func succeededEvent(_ work: StepWork, attempt: Int, product: StepProduct) -> EngineEvent {
        var event = stepEvent(.stageSucceeded, work, attempt: attempt)
        if case .job(let id) = product { event.jobID = id }
        if case .adoptedJob(let adopted) = product {
            event.jobID = adopted.job
            if !adopted.removedDuplicates.isEmpty {
                event.message =
                    "deleted unsubmitted duplicates: "
                    + adopted.removedDuplicates.map(\.rawValue).joined(separator: ", ")
            }
        }
        if case .file(let id) = product { event.fileID = id }
        if case .outputs(let outputs) = product, let job = work.node.job {
            let baseDirectory = configuration.plan.baseDirectory
            event.files = OutputSelection.placements(of: outputs, for: job, baseDirectory: baseDirectory).count
        }
        return event
    }
}

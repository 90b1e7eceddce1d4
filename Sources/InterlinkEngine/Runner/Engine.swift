import Foundation
import InterlinkCore
import Logging

/// Executes a plan as a journaled, resumable run: schedules nodes along the DAG, runs each node's steps through
/// their state machines on bounded resource pools, and reconciles anything the journal left uncertain.
package struct Engine: Sendable {
    /// The configuration.
    package let configuration: EngineConfiguration

    /// Creates an engine.
    package init(_ configuration: EngineConfiguration) { self.configuration = configuration }

    /// Runs (or resumes) the run to its end, an interruption, or a journal failure.
    ///
    /// - Returns: The summary; its result is ``RunResult/interrupted`` after a stop request or task cancellation.
    /// - Throws: `JournalError` when the run folder is damaged, or the journal is locked, corrupt or cannot be
    ///   written (including a ``CrashPoint/Action/closeJournal`` crash point); `PlatformError` when storage cannot
    ///   be prepared.
    package func run() async throws -> RunSummary {
        let plan = configuration.plan
        let directory = RunDirectory(baseDirectory: plan.baseDirectory, runID: configuration.runID)
        // A folder missing its plan or its journal is never taken for a new run: that would redo finished work.
        try directory.checkIsIntact()
        // A new run is assembled in a hidden staging folder and moved into place once its plan and first records
        // are durable (see `start`), so no crash can leave a run folder with a plan but no records.
        var opened = directory
        if !FileManager.default.fileExists(atPath: directory.planPath) {
            opened.path = directory.stagingPath
            try? FileManager.default.removeItem(atPath: opened.path)  // an earlier start of this run that crashed
        }
        let journal = try Journal(
            directory: opened.path,
            crashPoint: configuration.crashPoint,
            now: configuration.now,
            folded: opened.path == directory.path ? configuration.foldedJournal : nil
        )
        let context = RunContext(configuration: configuration, journal: journal)
        var scheduler = DependencyScheduler(nodes: plan.nodes)
        let result: RunResult
        do {
            try await start(plan: plan, directory: directory, openedIn: opened, context: context)
            if await settleInFlightRequests(in: await journal.state, context: context) {
                result = try await schedule(plan: plan, scheduler: &scheduler, context: context)
            } else {
                result = .interrupted
            }
            try await journal.append(.runFinished(result))
        } catch {
            await journal.close()  // releases the lock at once, so a resume in this process can take it
            throw error
        }
        var event = context.event(.runFinished)
        event.result = result
        configuration.events.receive(event)
        await journal.close()
        return RunSummary(
            runID: configuration.runID,
            result: result,
            plan: plan,
            state: await journal.state,
            outcomes: scheduler.results
        )
    }

    private func start(plan: Plan, directory: RunDirectory, openedIn opened: RunDirectory, context: RunContext)
        async throws
    {
        let journal = context.journal
        let previous = await journal.state
        let resumed = journal.replayedCount > 0
        let target = configuration.platform.target
        if let recorded = previous.platform, recorded != target {
            throw JournalError(.platformMismatch(recorded: recorded, current: target), path: directory.journalPath)
        }
        var records: [JournalRecord] = [
            .runStarted(configuration.runID, pid: getpid(), resumed: resumed, platform: target)
        ]
        let nodes = Dictionary(plan.nodes.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for (node, change) in PlanDiff.changes(of: plan, against: previous).sorted(by: { $0.key < $1.key }) {
            guard change == .new || change == .changed, let planned = nodes[node] else { continue }
            records.append(.nodePlanned(node, name: planned.name, contentHash: planned.contentHash))
        }
        // The plan is frozen before the first record: a crash right after that record must leave a run that
        // `resume` and `runs` can read. A new run's folder appears under its id only now, with both.
        if configuration.frozenPlan != plan || opened.path != directory.path { try opened.freeze(plan) }
        try await journal.append(records)
        if opened.path != directory.path { try await journal.moveFolder(to: directory.path) }
        let imported = InterlinkStateImport.records(
            configuration.importedJobs,
            plan: plan,
            state: await journal.state,
            run: configuration.runID
        )
        if !imported.isEmpty { try await journal.append(imported) }
        let retries = Self.retries(
            plan: plan,
            state: await journal.state,
            restartsStopped: configuration.restartsStoppedJobs
        )
        if !retries.isEmpty { try await journal.append(retries) }
        let state = await journal.state
        let needsStorage = plan.nodes.contains { node in
            node.uploads.indices.contains {
                state.nodes[node.id]?[StepRef(.register, item: String($0))].isSucceeded != true
            }
        }
        if needsStorage { try await context.prepareStorage() }
        // A resumed run learns, with one listing, which of its jobs the platform holds already: a journal cut short
        // may lack the records of creates that happened. A new run's keys (they carry its id) cannot exist yet.
        if resumed {
            context.existingJobs.markResumed()
            try await context.listExistingJobs(
                for: ExistingJobs.pendingCreateKeys(of: plan, state: state, run: configuration.runID)
            )
        }
        var event = context.event(.runStarted)
        event.resumed = resumed
        event.nodes = plan.nodes.count
        configuration.events.receive(event)
        configuration.logger.debug("engine.run.started", metadata: ["run.id": "\(configuration.runID)"])
    }

    /// The `nodeRetried` records a new runner writes, one per job that ended unsuccessfully.
    ///
    /// Each such node starts over with a new job (the failed one is never submitted again). A job
    /// `rescale-int stop` stopped is retried only when `restartsStopped`.
    ///
    /// - Parameters:
    ///   - plan: The plan being run.
    ///   - state: The journal's state once the plan's nodes are planned.
    ///   - restartsStopped: Whether stopped jobs are redone (`--restart-stopped`).
    /// - Returns: The records, in plan order.
    package static func retries(plan: Plan, state: RunState, restartsStopped: Bool) -> [JournalRecord] {
        plan.nodes.compactMap { node -> JournalRecord? in
            guard let nodeState = state.nodes[node.id], let job = nodeState.jobID else { return nil }
            let failed = nodeState.jobStatus.map { $0.isTerminal && !$0.isSuccess } ?? false
            let retry = nodeState.stoppedJob != nil ? restartsStopped : failed
            return retry ? .nodeRetried(node.id, job: job, attempt: nodeState.retries + 1) : nil
        }
    }

    private func schedule(plan: Plan, scheduler: inout DependencyScheduler, context: RunContext) async throws
        -> RunResult
    {
        // Every node by id once: a lookup per start, not a scan of the plan (10,000 nodes would make that O(n²)).
        let nodes = Dictionary(plan.nodes.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var ready: [NodeID] = []
        var readyHead = 0
        var active = 0
        var finished: RunResult?
        var stopSeen = false
        do {
            try await withThrowingTaskGroup(of: (NodeID, DependencyScheduler.Outcome).self) { group in
                func apply(_ action: DependencyScheduler.Action) async throws {
                    for blocked in action.block {
                        try await context.block(blocked.node, by: blocked.dependency, plan: plan)
                    }
                    ready.append(contentsOf: action.start)
                    finished = action.finished
                    while active < configuration.maxActiveNodes, readyHead < ready.count {
                        let id = ready[readyHead]
                        readyHead += 1
                        if readyHead == ready.count {
                            ready.removeAll(keepingCapacity: true)
                            readyHead = 0
                        }
                        guard let node = nodes[id] else { continue }
                        active += 1
                        group.addTask { (id, try await context.run(node, plan: plan)) }
                    }
                }
                try await apply(scheduler.handle(.begin))
                while let (id, outcome) = try await group.next() {
                    active -= 1
                    try await apply(scheduler.handle(.finished(id, outcome)))
                    if !stopSeen, configuration.stop.isRequested {
                        stopSeen = true
                        ready.removeAll()
                        readyHead = 0
                        try await apply(scheduler.handle(.stopRequested))
                    }
                }
            }
        } catch is CancellationError {
            return .interrupted
        }
        return finished ?? .interrupted
    }
}

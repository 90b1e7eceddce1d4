import Foundation
import InterlinkCore
import InterlinkEngine

/// What the live progress display shows, folded from the plan, the journal a run continues, and engine events.
///
/// Every denominator comes from the plan and never grows: per stage, the nodes that have it (and, for uploads,
/// their files). A node counts as done in a stage when all of that stage's steps succeeded, so a bar and its
/// counter always say the same. Pure state: ``apply(_:at:)`` folds an event, ``lines(at:width:)`` renders, so
/// both are tested without a terminal.
package struct ProgressBoard: Sendable {
    /// Where one step stands.
    package enum Phase: Hashable, Sendable {
        /// An attempt is running.
        case running
        /// The last attempt failed and another follows after a wait.
        case retrying
        /// Done.
        case succeeded
        /// Failed for good.
        case failed
    }

    /// One step: a node's stage and, for stages with several steps, the item.
    package struct StepKey: Hashable, Sendable {
        /// The node.
        package var node: NodeID
        /// The stage.
        package var stage: StageKind
        /// The upload index or output path; nil for single-step stages and a download's listing.
        package var item: String?
    }

    /// One transfer in flight.
    package struct Transfer: Hashable, Sendable {
        /// The job (or shared input).
        package var job: String
        /// Upload or download.
        package var stage: StageKind
        /// Bytes moved.
        package var bytes: Int64
        /// Bytes expected, when known.
        package var totalBytes: Int64?
        /// When the first progress report arrived (the rate is measured from there).
        package var since: ContinuousClock.Instant
        /// Bytes at ``since``.
        package var baseBytes: Int64
    }

    /// The stages that have steps of their own, in order (tar and encrypt run inside the upload step).
    package static let stepStages: [StageKind] = [.upload, .register, .create, .submit, .poll, .download]

    /// The run's nodes, from the plan.
    package let nodes: [PlanNode]
    /// The run.
    package let runID: RunID
    /// When the display started, for the elapsed time.
    package let started: ContinuousClock.Instant
    /// Every step seen, from the journal and then from events.
    package private(set) var steps: [StepKey: Phase] = [:]
    /// Per node, how many outputs its download selected (known once the outputs are listed).
    package private(set) var selectedFiles: [NodeID: Int] = [:]
    /// Per job, the platform's latest status name.
    package private(set) var jobStatuses: [NodeID: String] = [:]
    /// Nodes blocked by a failed dependency.
    package private(set) var blocked: Set<NodeID> = []
    /// Transfers in flight.
    package private(set) var transfers: [StepKey: Transfer] = [:]
    /// The latest message from the platform's client (a retry while it is unreachable), until a step succeeds.
    package private(set) var notice: String?
    /// Shown once the user asked to stop.
    package private(set) var stopMessage: String?

    /// Creates a board for a plan, seeded with what a continued run's journal already holds.
    ///
    /// - Parameters:
    ///   - plan: The plan being run.
    ///   - runID: The run.
    ///   - state: The journal's state when the run continues an earlier one; steps done before count as done.
    ///   - started: When the run started, for the elapsed time.
    package init(plan: Plan, runID: RunID, state: RunState? = nil, started: ContinuousClock.Instant = .now) {
        self.nodes = plan.nodes
        self.runID = runID
        self.started = started
        guard let state else { return }
        for node in plan.nodes {
            guard let nodeState = state.nodes[node.id] else { continue }
            for (ref, step) in nodeState.steps {
                let key = StepKey(node: node.id, stage: ref.stage, item: ref.item)
                switch step.phase {
                case .succeeded: steps[key] = .succeeded
                case .failed: steps[key] = .failed
                case .notStarted, .inFlight, .absent: continue
                }
            }
            if let status = nodeState.jobStatus { jobStatuses[node.id] = status.name }
            if nodeState.blockedBy != nil { blocked.insert(node.id) }
            let listing = nodeState[StepRef(.download)]
            if listing.isSucceeded, let job = node.job {
                selectedFiles[node.id] =
                    OutputSelection.placements(of: listing.outputs ?? [], for: job, baseDirectory: plan.baseDirectory)
                    .count
            }
        }
    }

    /// Folds one event in.
    package mutating func apply(_ event: EngineEvent, at now: ContinuousClock.Instant) {
        guard let node = event.node else { return }
        let stage = event.stage
        let key = stage.map { StepKey(node: node, stage: $0, item: event.item) }
        switch event.event {
        case .stageStarted:
            if let key { steps[key] = .running }
        case .stageRetrying:
            if let key {
                steps[key] = .retrying
                transfers[key] = nil
            }
        case .stageReconciled where event.found != true:
            break
        case .stageSucceeded, .stageReconciled:
            guard let key else { return }
            steps[key] = .succeeded
            transfers[key] = nil
            notice = nil
            if let files = event.files, key.stage == .download, key.item == nil { selectedFiles[node] = files }
        case .stageFailed:
            guard let key else { return }
            // A failed attempt that is retried is followed by `stageRetrying`, which takes the failure back.
            steps[key] = .failed
            transfers[key] = nil
        case .transferProgress:
            guard let key, let bytes = event.bytes else { return }
            if var transfer = transfers[key] {
                transfer.bytes = bytes
                transfer.totalBytes = event.totalBytes ?? transfer.totalBytes
                transfers[key] = transfer
            } else {
                transfers[key] = Transfer(
                    job: event.job ?? node.rawValue,
                    stage: key.stage,
                    bytes: bytes,
                    totalBytes: event.totalBytes,
                    since: now,
                    baseBytes: bytes
                )
            }
        case .jobStatusChanged:
            if let status = event.status { jobStatuses[node] = status }
        case .nodeBlocked:
            blocked.insert(node)
        case .runStarted, .runWaiting, .runFinished:
            break
        }
    }

    /// Shows a message from the platform's client until a step succeeds.
    package mutating func note(_ message: String) { notice = message }

    /// Shows that the user asked to stop, for as long as the board is drawn.
    package mutating func stopping(_ message: String) { stopMessage = message }

    // MARK: Counting

    /// Where a node stands in one stage.
    package enum Standing: Hashable, Sendable {
        /// Not begun.
        case waiting
        /// A step is running or waiting to retry.
        case active
        /// Every step of the stage succeeded.
        case done
        /// A step failed for good.
        case failed
    }

    /// Whether a node goes through a stage (a node without uploads has no upload or register steps).
    package static func has(_ node: PlanNode, _ stage: StageKind) -> Bool {
        guard node.stages.contains(stage) else { return false }
        if stage == .upload || stage == .register { return !node.uploads.isEmpty }
        return true
    }

    /// Where a node stands in a stage it has.
    package func standing(of node: PlanNode, in stage: StageKind) -> Standing {
        let phases: [Phase?]
        let isComplete: Bool
        switch stage {
        case .upload, .register:
            phases = node.uploads.indices.map { steps[StepKey(node: node.id, stage: stage, item: String($0))] }
            isComplete = phases.allSatisfy { $0 == .succeeded }
        case .download:
            let mine = steps.filter { $0.key.node == node.id && $0.key.stage == .download }
            phases = mine.values.map { Optional($0) }
            let listed = mine[StepKey(node: node.id, stage: .download, item: nil)] == .succeeded
            let downloaded = mine.filter { $0.key.item != nil && $0.value == .succeeded }.count
            isComplete = listed && selectedFiles[node.id].map { downloaded >= $0 } == true
        default:
            phases = [steps[StepKey(node: node.id, stage: stage, item: nil)]]
            isComplete = phases.allSatisfy { $0 == .succeeded }
        }
        if phases.contains(.failed) { return .failed }
        if isComplete { return .done }
        if phases.contains(.running) || phases.contains(.retrying) { return .active }
        return .waiting
    }

    /// A stage's counts over the nodes that have it.
    package struct StageCounts: Hashable, Sendable {
        /// Nodes that have the stage: the denominator, from the plan.
        package var total = 0
        /// Nodes done with it.
        package var done = 0
        /// Nodes that failed in it.
        package var failed = 0
        /// Nodes with a step running.
        package var active = 0
        /// Files the stage moves (uploads and registrations: from the plan; downloads: once every job's
        /// outputs are listed); nil while unknown.
        package var files: Int?
        /// Files moved so far.
        package var filesDone = 0
    }

    /// The counts of one stage.
    package func counts(of stage: StageKind) -> StageCounts {
        var counts = StageCounts()
        var files = 0
        var filesKnown = true
        for node in nodes where Self.has(node, stage) {
            counts.total += 1
            switch standing(of: node, in: stage) {
            case .done: counts.done += 1
            case .failed: counts.failed += 1
            case .active: counts.active += 1
            case .waiting: break
            }
            switch stage {
            case .upload, .register: files += node.uploads.count
            case .download:
                if let selected = selectedFiles[node.id] { files += selected } else { filesKnown = false }
            default: break
            }
        }
        guard [.upload, .register, .download].contains(stage) else { return counts }
        counts.files = filesKnown ? files : nil
        counts.filesDone = steps.filter { $0.key.stage == stage && $0.key.item != nil && $0.value == .succeeded }.count
        return counts
    }

    /// Jobs done, failed, and still to go.
    package func jobTotals() -> (jobs: Int, done: Int, failed: Int) {
        var totals = (jobs: 0, done: 0, failed: 0)
        for node in nodes where node.job != nil {
            totals.jobs += 1
            let standings = Self.stepStages.filter { Self.has(node, $0) }.map { standing(of: node, in: $0) }
            let status = jobStatuses[node.id].map { JobStatus(name: $0, reason: nil) }
            if blocked.contains(node.id) || standings.contains(.failed)
                || (status.map { $0.isTerminal && !$0.isSuccess } ?? false)
            {
                totals.failed += 1
            } else if standings.allSatisfy({ $0 == .done }) {
                totals.done += 1
            }
        }
        return totals
    }
}

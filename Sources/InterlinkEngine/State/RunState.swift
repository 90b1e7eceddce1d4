import Foundation
import InterlinkCore

/// Everything the journal says about a run, folded record by record.
///
/// Folding is pure: the same records always give the same state, which is what resume relies on.
package struct RunState: Hashable, Sendable {
    /// The run, once a `runStarted` record was read.
    package var runID: RunID?
    /// How many times a runner started on this journal.
    package var starts = 0
    /// Per node.
    package var nodes: [NodeID: NodeState] = [:]
    /// The last sequence number folded.
    package var lastSequence = 0
    /// How the last runner ended, if it got to say.
    package var lastResult: RunResult?
    /// The platform the run was started on (``Platform/target``); nil for journals written before it was recorded.
    package var platform: String?

    /// Creates an empty state.
    package init() {}

    /// Folds every record in order.
    package init(replaying records: some Sequence<JournalRecord>) {
        for record in records { apply(record) }
    }

    /// Folds one record in.
    package mutating func apply(_ record: JournalRecord) {
        lastSequence = record.seq
        switch record.kind {
        case .runStarted:
            runID = record.run ?? runID
            platform = platform ?? record.platform
            starts += 1
            lastResult = nil
        case .runFinished:
            lastResult = record.runResult
        case .nodePlanned:
            guard let node = record.node, let hash = record.contentHash else { return }
            if nodes[node]?.contentHash != hash {
                nodes[node] = NodeState(id: node, name: record.name ?? node.rawValue, contentHash: hash)
            }
            nodes[node]?.blockedBy = nil
            nodes[node]?.lastUpdated = record.time
        default:
            // Taken out and put back so the node's step dictionary is mutated in place, not copied.
            guard let node = record.node, var state = nodes.removeValue(forKey: node) else { return }
            state.lastUpdated = record.time
            state.apply(record)
            nodes[node] = state
        }
    }
}

extension NodeState {
    /// Folds a record about this node in.
    mutating func apply(_ record: JournalRecord) {
        switch record.kind {
        case .intent:
            guard let step = record.step else { return }
            let attempt = record.attempt ?? 1
            var state = steps.removeValue(forKey: step) ?? StepState()
            state.phase = .inFlight(attempt: attempt)
            state.attempts = max(state.attempts, attempt)
            state.key = record.key
            steps[step] = state
        case .checkpoint:
            guard let step = record.step else { return }
            self[step].checkpoint = record.checkpoint
        case .outcome:
            guard let step = record.step else { return }
            var state = steps.removeValue(forKey: step) ?? StepState()
            state.fold(outcome: record)
            steps[step] = state
        case .jobStatus:
            jobStatus = record.status.map { JobStatus(name: $0, reason: record.statusReason) }
        case .nodeBlocked:
            blockedBy = record.dependency
        default:
            break
        }
    }
}

extension StepState {
    /// Folds an outcome record into the step.
    mutating func fold(outcome record: JournalRecord) {
        switch record.result ?? .failed {
        case .succeeded:
            phase = .succeeded
            error = nil
            object = record.object ?? object
            fileID = record.fileID ?? fileID
            jobID = record.jobID ?? jobID
            outputs = record.outputs ?? outputs
            download = record.download ?? download
        case .failed:
            phase = .failed
            error = record.error
        case .absent:
            phase = .absent
        }
    }
}

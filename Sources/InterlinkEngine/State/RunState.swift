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
    ///
    /// A record about a node no `nodePlanned` record introduced changes nothing; ``JournalReader`` refuses such
    /// records when it reads a journal, so only a record appended in-process could be one.
    package mutating func apply(_ record: JournalRecord) {
        lastSequence = record.seq
        switch record.entry {
        case .runStarted(let started):
            runID = started.run
            platform = platform ?? started.platform
            starts += 1
            lastResult = nil
        case .runFinished(let result):
            lastResult = result
        case .nodePlanned(let planned):
            if nodes[planned.node]?.contentHash != planned.contentHash {
                nodes[planned.node] = NodeState(id: planned.node, name: planned.name, contentHash: planned.contentHash)
            }
            nodes[planned.node]?.blockedBy = nil
            nodes[planned.node]?.lastUpdated = record.time
        case .intent, .checkpoint, .outcome, .jobStatus, .nodeBlocked, .nodeRetried, .jobStopped:
            // Taken out and put back so the node's step dictionary is mutated in place, not copied.
            guard let node = record.entry.node, var state = nodes.removeValue(forKey: node) else { return }
            state.lastUpdated = record.time
            state.apply(record.entry)
            nodes[node] = state
        }
    }
}

extension NodeState {
    /// Folds an entry about this node in.
    mutating func apply(_ entry: JournalEntry) {
        switch entry {
        case .intent(let intent):
            var state = steps.removeValue(forKey: intent.step) ?? StepState()
            state.phase = .inFlight(attempt: intent.attempt)
            blockedBy = nil  // it runs again: whatever blocked it succeeded since
            state.attempts = max(state.attempts, intent.attempt)
            state.key = intent.key
            state.deadline = intent.deadline
            steps[intent.step] = state
        case .checkpoint(let checkpoint):
            self[checkpoint.step].checkpoint = checkpoint.checkpoint
        case .outcome(let outcome):
            var state = steps.removeValue(forKey: outcome.step) ?? StepState()
            state.fold(outcome)
            steps[outcome.step] = state
        case .jobStatus(let change):
            jobStatus = JobStatus(name: change.status, reason: change.statusReason)
        case .nodeBlocked(let blocked):
            blockedBy = blocked.dependency
        case .nodeRetried(let retried):
            retries = retried.attempt
            steps = steps.filter { $0.key.stage < .create }
            jobStatus = nil
            stoppedJob = nil
        case .jobStopped(let stopped):
            stoppedJob = stopped.jobID
        case .runStarted, .nodePlanned, .runFinished:
            break
        }
    }
}

extension StepState {
    /// Folds an outcome into the step.
    mutating func fold(_ outcome: JournalEntry.Outcome) {
        switch outcome.result {
        case .succeeded:
            phase = .succeeded
            error = nil
            object = outcome.object ?? object
            fileID = outcome.fileID ?? fileID
            jobID = outcome.jobID ?? jobID
            outputs = outcome.outputs ?? outputs
            download = outcome.download ?? download
        case .failed:
            phase = .failed
            error = outcome.error
        case .absent:
            phase = .absent
        }
    }
}

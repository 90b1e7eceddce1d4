import Foundation
import InterlinkCore

extension JournalRecord {
    /// A `runStarted` record.
    package static func runStarted(_ run: RunID, pid: Int32, resumed: Bool, platform: String? = nil)
        -> JournalRecord
    {
        JournalRecord(.runStarted(.init(run: run, pid: pid, resumed: resumed, platform: platform)))
    }

    /// A `nodePlanned` record.
    package static func nodePlanned(_ node: NodeID, name: String, contentHash: String) -> JournalRecord {
        JournalRecord(.nodePlanned(.init(node: node, name: name, contentHash: contentHash)))
    }

    /// An `intent` record: the step is about to run its side effect.
    ///
    /// - Parameters:
    ///   - node: The node.
    ///   - step: The step.
    ///   - attempt: The attempt number.
    ///   - key: The step's idempotency key.
    ///   - deadline: For create and submit on a platform whose requests can outlive the process: when a request
    ///     this attempt sends can no longer be acted on.
    /// - Returns: The record.
    package static func intent(
        _ node: NodeID,
        _ step: StepRef,
        attempt: Int,
        key: IdempotencyKey,
        deadline: Date? = nil
    ) -> JournalRecord {
        JournalRecord(.intent(.init(node: node, step: step, attempt: attempt, key: key, deadline: deadline)))
    }

    /// A `checkpoint` record for an upload in progress.
    package static func checkpoint(_ node: NodeID, _ step: StepRef, key: IdempotencyKey, _ checkpoint: UploadCheckpoint)
        -> JournalRecord
    {
        JournalRecord(.checkpoint(.init(node: node, step: step, key: key, checkpoint: checkpoint)))
    }

    /// An `outcome` record.
    package static func outcome(_ outcome: JournalEntry.Outcome) -> JournalRecord {
        JournalRecord(.outcome(outcome))
    }

    /// A `jobStatus` record.
    package static func jobStatus(_ node: NodeID, job: JobID, status: JobStatus) -> JournalRecord {
        JournalRecord(.jobStatus(.init(node: node, jobID: job, status: status.name, statusReason: status.reason)))
    }

    /// A `nodeBlocked` record.
    package static func nodeBlocked(_ node: NodeID, by dependency: NodeID) -> JournalRecord {
        JournalRecord(.nodeBlocked(.init(node: node, dependency: dependency)))
    }

    /// A `nodeRetried` record.
    package static func nodeRetried(_ node: NodeID, job: JobID?, attempt: Int) -> JournalRecord {
        JournalRecord(.nodeRetried(.init(node: node, jobID: job, attempt: attempt)))
    }

    /// A `jobStopped` record.
    package static func jobStopped(_ node: NodeID, job: JobID) -> JournalRecord {
        JournalRecord(.jobStopped(.init(node: node, jobID: job)))
    }

    /// A `runFinished` record.
    package static func runFinished(_ result: RunResult) -> JournalRecord {
        JournalRecord(.runFinished(result))
    }
}

import InterlinkCore

extension JournalRecord {
    /// A `runStarted` record.
    package static func runStarted(_ run: RunID, pid: Int32, resumed: Bool, platform: String? = nil)
        -> JournalRecord
    {
        var record = JournalRecord(kind: .runStarted)
        record.run = run
        record.pid = pid
        record.resumed = resumed
        record.platform = platform
        return record
    }

    /// A `nodePlanned` record.
    package static func nodePlanned(_ node: NodeID, name: String, contentHash: String) -> JournalRecord {
        var record = JournalRecord(kind: .nodePlanned)
        record.node = node
        record.name = name
        record.contentHash = contentHash
        return record
    }

    /// An `intent` record: the step is about to run its side effect.
    package static func intent(_ node: NodeID, _ step: StepRef, attempt: Int, key: IdempotencyKey) -> JournalRecord {
        var record = JournalRecord.about(.intent, node, step)
        record.attempt = attempt
        record.key = key
        return record
    }

    /// A `checkpoint` record for an upload in progress.
    package static func checkpoint(_ node: NodeID, _ step: StepRef, key: IdempotencyKey, _ checkpoint: UploadCheckpoint)
        -> JournalRecord
    {
        var record = JournalRecord.about(.checkpoint, node, step)
        record.key = key
        record.checkpoint = checkpoint
        return record
    }

    /// An `outcome` record; fill in the result fields (object, file id, job id, outputs, download, error).
    package static func outcome(
        _ node: NodeID,
        _ step: StepRef,
        attempt: Int,
        key: IdempotencyKey,
        result: StepResult,
        reconciled: Bool = false
    ) -> JournalRecord {
        var record = JournalRecord.about(.outcome, node, step)
        record.attempt = attempt
        record.key = key
        record.result = result
        record.reconciled = reconciled ? true : nil
        return record
    }

    /// A `jobStatus` record.
    package static func jobStatus(_ node: NodeID, job: JobID, status: JobStatus) -> JournalRecord {
        var record = JournalRecord(kind: .jobStatus)
        record.node = node
        record.jobID = job
        record.status = status.name
        record.statusReason = status.reason
        return record
    }

    /// A `nodeBlocked` record.
    package static func nodeBlocked(_ node: NodeID, by dependency: NodeID) -> JournalRecord {
        var record = JournalRecord(kind: .nodeBlocked)
        record.node = node
        record.dependency = dependency
        return record
    }

    /// A `runFinished` record.
    package static func runFinished(_ result: RunResult) -> JournalRecord {
        var record = JournalRecord(kind: .runFinished)
        record.runResult = result
        return record
    }

    private static func about(_ kind: JournalRecordKind, _ node: NodeID, _ step: StepRef) -> JournalRecord {
        var record = JournalRecord(kind: kind)
        record.node = node
        record.stage = step.stage
        record.item = step.item
        return record
    }
}

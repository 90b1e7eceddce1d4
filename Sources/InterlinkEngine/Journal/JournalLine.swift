import Foundation
import InterlinkCore

/// One journal line as it is on disk: a flat object whose fields are all optional, so that reading it checks the
/// JSON and checking it (``JournalRecord/init(_:)``) says which required field is missing.
///
/// The property names are the JSON keys, and the synthesized coding leaves nil fields out, which keeps the bytes
/// the journal writes identical to those of the journals written before records became an enum.
struct JournalLine: Hashable, Sendable, Codable {
    var v: Int?
    var seq: Int?
    var time: Date?
    var kind: JournalRecordKind?
    var run: RunID?
    var pid: Int32?
    var resumed: Bool?
    var platform: String?
    var node: NodeID?
    var name: String?
    var contentHash: String?
    var stage: StageKind?
    var item: String?
    var attempt: Int?
    var key: IdempotencyKey?
    var result: StepResult?
    var reconciled: Bool?
    var checkpoint: UploadCheckpoint?
    var object: UploadedObject?
    var fileID: FileID?
    var jobID: JobID?
    var status: String?
    var statusReason: String?
    var outputs: [RemoteOutput]?
    var download: DownloadedFile?
    var error: RecordedError?
    var dependency: NodeID?
    var runResult: RunResult?
    var deadline: Date?
    var removedJobs: [JobID]?

    /// An empty line, for decoders to fill in.
    init() {}

    /// The line of a record.
    init(_ record: JournalRecord) {
        v = JournalRecord.version
        seq = record.seq
        time = record.time
        kind = record.kind
        switch record.entry {
        case .runStarted(let entry):
            run = entry.run
            pid = entry.pid
            resumed = entry.resumed
            platform = entry.platform
        case .nodePlanned(let entry):
            node = entry.node
            name = entry.name
            contentHash = entry.contentHash
        case .intent(let entry):
            setStep(entry.node, entry.step)
            attempt = entry.attempt
            key = entry.key
            deadline = entry.deadline
        case .checkpoint(let entry):
            setStep(entry.node, entry.step)
            key = entry.key
            checkpoint = entry.checkpoint
        case .outcome(let entry):
            setStep(entry.node, entry.step)
            attempt = entry.attempt
            key = entry.key
            result = entry.result
            reconciled = entry.reconciled ? true : nil
            object = entry.object
            fileID = entry.fileID
            jobID = entry.jobID
            status = entry.status
            statusReason = entry.statusReason
            outputs = entry.outputs
            download = entry.download
            error = entry.error
            removedJobs = entry.removedJobs
        case .jobStatus(let entry):
            node = entry.node
            jobID = entry.jobID
            status = entry.status
            statusReason = entry.statusReason
        case .nodeBlocked(let entry):
            node = entry.node
            dependency = entry.dependency
        case .runFinished(let result):
            runResult = result
        case .nodeRetried(let entry):
            node = entry.node
            jobID = entry.jobID
            attempt = entry.attempt
        case .jobStopped(let entry):
            node = entry.node
            jobID = entry.jobID
        }
    }

    /// Sets the node and the step's stage and item.
    private mutating func setStep(_ node: NodeID, _ step: StepRef) {
        self.node = node
        stage = step.stage
        item = step.item
    }
}

extension JournalRecord {
    /// Why a well-formed line is not a record this build can read.
    package enum Invalid: Error, Hashable, Sendable {
        /// The line has a version this build does not read.
        case unsupportedVersion(Int)
        /// The line lacks a field its kind requires (`kind` nil: the field is one every record needs).
        case missingField(String, kind: JournalRecordKind?)

        /// The problem in words, for a corrupt-line error.
        package var detail: String {
            switch self {
            case .unsupportedVersion(let version): "unsupported record version \(version)"
            case .missingField(let field, kind: nil): "the required field '\(field)' is missing"
            case .missingField(let field, kind: let kind?):
                "a '\(kind.rawValue)' record needs the field '\(field)', which is missing"
            }
        }
    }

    /// Checks a line and builds its record: the version first (a newer writer's record may have another shape),
    /// then the fields every record has, then the fields its kind requires.
    ///
    /// - Throws: ``Invalid`` naming the unsupported version or the first missing field.
    init(_ line: JournalLine) throws(Invalid) {
        guard let version = line.v else { throw .missingField("v", kind: nil) }
        guard Self.readableVersions.contains(version) else { throw .unsupportedVersion(version) }
        guard let seq = line.seq else { throw .missingField("seq", kind: nil) }
        guard let time = line.time else { throw .missingField("time", kind: nil) }
        guard let kind = line.kind else { throw .missingField("kind", kind: nil) }
        func required<Value>(_ value: Value?, _ field: String) throws(Invalid) -> Value {
            guard let value else { throw .missingField(field, kind: kind) }
            return value
        }
        func step() throws(Invalid) -> StepRef { StepRef(try required(line.stage, "stage"), item: line.item) }
        let entry: JournalEntry
        switch kind {
        case .runStarted:
            entry = .runStarted(
                .init(
                    run: try required(line.run, "run"),
                    pid: try required(line.pid, "pid"),
                    resumed: try required(line.resumed, "resumed"),
                    platform: line.platform
                )
            )
        case .nodePlanned:
            entry = .nodePlanned(
                .init(
                    node: try required(line.node, "node"),
                    name: try required(line.name, "name"),
                    contentHash: try required(line.contentHash, "contentHash")
                )
            )
        case .intent:
            entry = .intent(
                .init(
                    node: try required(line.node, "node"),
                    step: try step(),
                    attempt: try required(line.attempt, "attempt"),
                    key: try required(line.key, "key"),
                    deadline: line.deadline
                )
            )
        case .checkpoint:
            entry = .checkpoint(
                .init(
                    node: try required(line.node, "node"),
                    step: try step(),
                    key: try required(line.key, "key"),
                    checkpoint: try required(line.checkpoint, "checkpoint")
                )
            )
        case .outcome:
            var outcome = JournalEntry.Outcome(
                node: try required(line.node, "node"),
                step: try step(),
                attempt: try required(line.attempt, "attempt"),
                key: try required(line.key, "key"),
                result: try required(line.result, "result"),
                reconciled: line.reconciled ?? false
            )
            outcome.object = line.object
            outcome.fileID = line.fileID
            outcome.jobID = line.jobID
            outcome.status = line.status
            outcome.statusReason = line.statusReason
            outcome.outputs = line.outputs
            outcome.download = line.download
            outcome.error = line.error
            outcome.removedJobs = line.removedJobs
            entry = .outcome(outcome)
        case .jobStatus:
            entry = .jobStatus(
                .init(
                    node: try required(line.node, "node"),
                    jobID: try required(line.jobID, "jobID"),
                    status: try required(line.status, "status"),
                    statusReason: line.statusReason
                )
            )
        case .nodeBlocked:
            entry = .nodeBlocked(
                .init(node: try required(line.node, "node"), dependency: try required(line.dependency, "dependency"))
            )
        case .runFinished:
            entry = .runFinished(try required(line.runResult, "runResult"))
        case .nodeRetried:
            entry = .nodeRetried(
                .init(
                    node: try required(line.node, "node"),
                    jobID: line.jobID,
                    attempt: try required(line.attempt, "attempt")
                )
            )
        case .jobStopped:
            entry = .jobStopped(
                .init(node: try required(line.node, "node"), jobID: try required(line.jobID, "jobID"))
            )
        }
        self.init(entry, seq: seq, time: time)
    }
}

import Foundation
import InterlinkCore

/// Something the runner did, for progress displays, logs and `--json` streams.
///
/// Every event about a node carries its id and display name; run-wide events carry neither.
package struct EngineEvent: Hashable, Sendable, Codable {
    /// What happened.
    package enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        case runStarted
        /// A resumed run waits until requests an interrupted run sent can no longer be acted on.
        case runWaiting
        case stageStarted
        case stageSucceeded
        case stageFailed
        case stageRetrying
        case stageReconciled
        case transferProgress
        case jobStatusChanged
        case nodeBlocked
        case runFinished
    }

    /// What happened.
    package var event: Kind
    /// The run.
    package var run: RunID
    /// The node, for node events.
    package var node: NodeID?
    /// The job's (or shared input's) name, for node events.
    package var job: String?
    /// The stage, for stage and transfer events.
    package var stage: StageKind?
    /// The item within the stage (upload index, output path).
    package var item: String?
    /// The attempt, for stage events.
    package var attempt: Int?
    /// `stageFailed`, `stageRetrying`: what went wrong; `runWaiting`: what it waits for, and why.
    package var message: String?
    /// `stageFailed`, `stageRetrying`: the error's retry class.
    package var retryClass: RetryClass?
    /// `stageRetrying`: seconds until the next attempt; `runWaiting`: seconds it waits.
    package var delaySeconds: Double?
    /// `stageReconciled`: whether the platform had already done it.
    package var found: Bool?
    /// `transferProgress`: bytes moved.
    package var bytes: Int64?
    /// `transferProgress`: bytes expected, when known.
    package var totalBytes: Int64?
    /// `jobStatusChanged`, `stageSucceeded` of create: the platform's job id.
    package var jobID: JobID?
    /// `stageSucceeded` of register: the platform's file id.
    package var fileID: FileID?
    /// `stageSucceeded` of a download's listing (no item): how many of the job's outputs are selected for
    /// download, one download step each.
    package var files: Int?
    /// `jobStatusChanged`: the status name (``JobStatus/name``).
    package var status: String?
    /// `jobStatusChanged`: the platform's reason.
    package var statusReason: String?
    /// `nodeBlocked`: the dependency that failed.
    package var dependency: NodeID?
    /// `runStarted`: whether a journal existed.
    package var resumed: Bool?
    /// `runStarted`: the number of nodes.
    package var nodes: Int?
    /// `runFinished`: how the run ended.
    package var result: RunResult?

    /// Creates an event of a kind; fill the fields it uses.
    package init(_ event: Kind, run: RunID, node: NodeID? = nil, job: String? = nil) {
        self.event = event
        self.run = run
        self.node = node
        self.job = job
    }
}

/// Where the runner sends events.
///
/// Sinks must be quick (hand the event to a stream or a buffer) and thread-safe.
package protocol EventSink: Sendable {
    /// Receives one event.
    func receive(_ event: EngineEvent)
}

/// A sink that drops everything.
package struct DiscardingEventSink: EventSink {
    /// Creates the sink.
    package init() {}

    package func receive(_ event: EngineEvent) {}
}

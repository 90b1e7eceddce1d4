/// How a job that reached `Completed` ended.
package enum JobCompletion: Hashable, Sendable, Codable {
    /// Completed successfully.
    case success
    /// Completed with a reason that is neither the normal one nor a known failure: shown, counted as success.
    case warning(reason: String)
    /// Completed, but the reason says it failed (for example "Exceeded max number of restarts").
    case failure(reason: String)

    /// The `statusReason` values Rescale uses on `Completed` for a failed job.
    package static let knownFailureReasons: Set<String> = [
        "Exceeded max number of restarts",
        "Could not allocate compute resources from the compute provider",
    ]

    /// Classifies a `Completed` status by its reason: empty or "Completed successfully" is success.
    package init(reason: String?) {
        let reason = Self.trimmed(reason ?? "")
        if reason.isEmpty || reason == "Completed successfully" {
            self = .success
        } else if Self.knownFailureReasons.contains(reason) {
            self = .failure(reason: reason)
        } else {
            self = .warning(reason: reason)
        }
    }

    /// The text without leading and trailing spaces and tabs.
    static func trimmed(_ text: String) -> String {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        return String(text.drop(while: isBlank).reversed().drop(while: isBlank).reversed())
    }
}

/// A job's current status, typed.
///
/// Never infer progress from the order of cases.
package enum JobStatus: Hashable, Sendable, Codable {
    /// Created but not submitted (a draft). Only this status means "submit has not happened".
    case notSubmitted
    /// Submitted, waiting to be scheduled.
    case pending
    /// Queued.
    case queued
    /// Waiting for a license or a queue.
    case waitingForQueue
    /// Waiting for a persistent cluster.
    case waitingForCluster
    /// Hardware started.
    case started
    /// Inputs validated.
    case validated
    /// Running the command.
    case executing
    /// Stopping; the reason may announce a failure.
    case stopping(reason: String?)
    /// Finished: terminal, success or failure according to the reason.
    case completed(JobCompletion)
    /// Failed or terminated: terminal.
    case failed(reason: String?)
    /// Stopped by a user or force-stopped: terminal.
    case stopped(reason: String?)
    /// A status this client does not know: non-terminal, logged.
    case unknown(String)

    /// Whether the job will not change any more.
    package var isTerminal: Bool {
        switch self {
        case .completed, .failed, .stopped: true
        default: false
        }
    }

    /// Whether a terminal status counts as success.
    package var isSuccess: Bool {
        switch self {
        case .completed(.success), .completed(.warning): true
        default: false
        }
    }

    /// Whether the job has been submitted: every status except ``notSubmitted``.
    package var isSubmitted: Bool { self != .notSubmitted }

    /// The reason a terminal status is a failure, if it is one.
    package var failureReason: String? {
        switch self {
        case .completed(.failure(let reason)): reason
        case .failed(let reason): reason ?? "job failed"
        case .stopped(let reason): reason ?? "job stopped"
        default: nil
        }
    }

    /// Maps Rescale's status text and reason (compared as strings) to a typed status.
    ///
    /// Both `Force Stop` and `Force Stopped` are terminal; an unknown string is ``unknown(_:)``, never terminal.
    package init(platformStatus status: String, reason: String?) {
        switch JobCompletion.trimmed(status) {
        case "Pending": self = .pending
        case "Queued": self = .queued
        case "Waiting for Queue": self = .waitingForQueue
        case "Waiting for Cluster": self = .waitingForCluster
        case "Started": self = .started
        case "Validated": self = .validated
        case "Executing": self = .executing
        case "Stopping": self = .stopping(reason: reason)
        case "Completed": self = .completed(JobCompletion(reason: reason))
        case "Failed", "Terminated": self = .failed(reason: reason)
        case "Stopped", "Force Stop", "Force Stopped": self = .stopped(reason: reason ?? status)
        default: self = .unknown(status)
        }
    }

    /// A short lowercase name for logs, events and the journal (`executing`, `completed`, …).
    package var name: String {
        switch self {
        case .notSubmitted: "not-submitted"
        case .pending: "pending"
        case .queued: "queued"
        case .waitingForQueue: "waiting-for-queue"
        case .waitingForCluster: "waiting-for-cluster"
        case .started: "started"
        case .validated: "validated"
        case .executing: "executing"
        case .stopping: "stopping"
        case .completed(.failure): "completed-failed"
        case .completed: "completed"
        case .failed: "failed"
        case .stopped: "stopped"
        case .unknown(let text): "unknown:\(text)"
        }
    }
}

extension JobStatus {
    /// The platform's reason carried by the status, if any.
    package var reason: String? {
        switch self {
        case .stopping(let reason), .failed(let reason), .stopped(let reason): reason
        case .completed(.warning(let reason)), .completed(.failure(let reason)): reason
        default: nil
        }
    }

    /// Rebuilds a status from its ``name`` and ``reason`` (as journaled and streamed as events).
    package init(name: String, reason: String?) {
        switch name {
        case "not-submitted": self = .notSubmitted
        case "pending": self = .pending
        case "queued": self = .queued
        case "waiting-for-queue": self = .waitingForQueue
        case "waiting-for-cluster": self = .waitingForCluster
        case "started": self = .started
        case "validated": self = .validated
        case "executing": self = .executing
        case "stopping": self = .stopping(reason: reason)
        case "completed": self = .completed(reason.map { .warning(reason: $0) } ?? .success)
        case "completed-failed": self = .completed(.failure(reason: reason ?? "job failed"))
        case "failed": self = .failed(reason: reason)
        case "stopped": self = .stopped(reason: reason)
        default: self = .unknown(name.hasPrefix("unknown:") ? String(name.dropFirst("unknown:".count)) : name)
        }
    }
}

import Foundation
import InterlinkCore
import InterlinkEngine

/// The text a finished run prints: the per-job summary table and the exit code its result maps to.
package enum RunReport {
    /// The exit status of a run result: 0 all done, 1 some job failed, 130 interrupted.
    package static func exitStatus(of result: RunResult) -> ExitStatus {
        switch result {
        case .succeeded: .success
        case .failed: .jobFailed
        case .interrupted: .interrupted
        }
    }

    /// The summary table of a finished run.
    package static func table(_ summary: RunSummary) -> String {
        var table = TextTable(header: ["NODE", "RESULT", "STAGE", "JOB", "ERROR"])
        for node in summary.nodes {
            var error = node.error ?? ""
            var result: String =
                switch node.outcome {
                case .succeeded: "done"
                case .failed: "failed"
                case .blocked: "blocked"
                case .interrupted: "interrupted"
                case nil: "not run"
                }
            if summary.result == .interrupted, node.outcome == nil || node.outcome == .interrupted {
                // A stop cancels calls in flight; their "cancelled" is the stop, not a failure.
                if error.lowercased().contains("cancel") { error = "" }
                if node.jobID == nil {
                    result = "not started (stopped by you)"
                } else if error.isEmpty {
                    error = "stopped by you"
                }
            }
            table.rows.append([
                node.name, result, node.finalStage?.rawValue ?? "-", node.jobID?.rawValue ?? "-", error,
            ])
        }
        return table.rendered
    }

    /// The closing line: counts and what to do next.
    package static func closing(_ summary: RunSummary, resumeCommand: String) -> String {
        let done = summary.nodes.filter { $0.outcome == .succeeded }.count
        let failed = summary.nodes.filter {
            if case .blocked = $0.outcome { return true }
            return $0.outcome == .failed
        }.count
        var text = "run \(summary.runID): \(done) of \(summary.nodes.count) done"
        if failed > 0 { text += ", \(failed) failed" }
        switch summary.result {
        case .succeeded: text += "\n"
        case .failed: text += "\nfix the failures, then continue with: \(resumeCommand)\n"
        case .interrupted: text += "\ninterrupted; continue with: \(resumeCommand)\n"
        }
        return text
    }

    /// The status table of a run read from disk.
    package static func statusTable(_ snapshot: RunSnapshot) -> String {
        var table = TextTable(header: ["NODE", "STATE", "STAGE", "JOB", "STATUS", "ERROR"])
        for node in snapshot.plan.nodes {
            let state = snapshot.state.nodes[node.id]
            let standing = NodeStanding(node: node, state: state, baseDirectory: snapshot.plan.baseDirectory)
            var error = state?.openError?.message ?? ""
            if error.isEmpty, let status = state?.jobStatus, status.isTerminal, !status.isSuccess {
                error = status.failureReason ?? ""
            }
            if let blocker = state?.blockedBy { error = "blocked: '\(blocker)' did not succeed" }
            table.rows.append([
                node.name, standing.rawValue, state?.furthestStage?.rawValue ?? "-", state?.jobID?.rawValue ?? "-",
                state?.jobStatus?.name ?? "-", error,
            ])
        }
        return table.rendered
    }

    /// `2026-11-25 10:00:05Z` (UTC), or `-`.
    package static func date(_ date: Date?) -> String {
        guard let date else { return "-" }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss'Z'"
        return formatter.string(from: date)
    }
}

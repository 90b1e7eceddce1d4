import Foundation
import InterlinkCore

/// A stage status as Interlink's state CSV writes it.
package enum InterlinkStageStatus: String, Hashable, Sendable {
    case pending
    case success
    case failed
    case skipped
}

/// One row of Interlink's state CSV, exported from the journal: the journal is the store, this is
/// a view for users and tools that know Interlink's format.
package struct InterlinkStateRow: Hashable, Sendable {
    /// 1-based position of the job in the plan.
    package var index: Int
    /// The job's name.
    package var jobName: String
    /// The job's first archived directory (absolute), or empty.
    package var directory: String
    /// Always empty: archives are streamed, never written to disk.
    package var tarPath: String
    /// The archive stage (streamed with the upload): success once every upload succeeded.
    package var tarStatus: InterlinkStageStatus
    /// The first own upload's file id.
    package var fileID: String
    /// The upload and register stages.
    package var uploadStatus: InterlinkStageStatus
    /// The job id once created.
    package var jobID: String
    /// Create and submit together, as Interlink records them.
    package var submitStatus: InterlinkStageStatus
    /// Further file ids attached to the job (more uploads, shared inputs), separated by `;`.
    package var extraFileIDs: String
    /// The current error with its failing stage (`create failed: …`), or how a job that ran ended (`job failed`);
    /// cleared when the failing stage later succeeds (Interlink keeps the stale error).
    package var errorMessage: String
    /// When a record about the job was last written.
    package var lastUpdated: Date?

    /// The CSV header, in column order.
    package static let header = [
        "Index", "JobName", "Directory", "TarPath", "TarStatus", "FileID", "UploadStatus", "JobID", "SubmitStatus",
        "ExtraFileIDs", "ErrorMessage", "LastUpdated",
    ]
}

/// Folds a run's state into Interlink state rows.
package enum InterlinkStateExport {
    /// One row per job of the plan, in plan order.
    package static func rows(plan: Plan, state: RunState) -> [InterlinkStateRow] {
        plan.jobs.enumerated().map { offset, node in
            let nodeState = state.nodes[node.id]
            let steps = nodeState?.steps ?? [:]
            func status(of stages: [StageKind]) -> InterlinkStageStatus {
                let relevant = steps.filter { stages.contains($0.key.stage) }
                if node.uploads.isEmpty, stages.contains(.upload) { return .skipped }
                if relevant.values.contains(where: { $0.phase == .failed }) { return .failed }
                let expected = node.uploads.count * stages.count
                return relevant.values.filter(\.isSucceeded).count >= expected ? .success : .pending
            }
            let files = nodeState?.fileIDs ?? [:]
            let own = files.sorted { $0.key < $1.key }.map(\.value.rawValue)
            let shared = node.dependencies.flatMap { dependency in
                (state.nodes[dependency]?.fileIDs ?? [:]).sorted { $0.key < $1.key }.map(\.value.rawValue)
            }
            let directory: String =
                if case .archive(let archive) = node.uploads.first?.source { archive.directory } else { "" }
            return InterlinkStateRow(
                index: offset + 1,
                jobName: node.name,
                directory: directory,
                tarPath: "",
                tarStatus: status(of: [.upload]),
                fileID: own.first ?? "",
                uploadStatus: status(of: [.upload, .register]),
                jobID: nodeState?.jobID?.rawValue ?? "",
                submitStatus: submitStatus(node: node, state: nodeState),
                extraFileIDs: (Array(own.dropFirst()) + shared).joined(separator: ";"),
                errorMessage: nodeState.map(errorMessage) ?? "",
                lastUpdated: nodeState?.lastUpdated
            )
        }
    }

    /// The failing stage and its error, else how a job that ran without success ended; empty for none.
    static func errorMessage(_ state: NodeState) -> String {
        let failing = state.steps.sorted { $0.key < $1.key }.last { !$0.value.isSucceeded && $0.value.error != nil }
        if let (step, stepState) = failing, let error = stepState.error {
            return "\(step.stage.rawValue) failed: \(error.message)"
        }
        guard let status = state.jobStatus, status.isTerminal, !status.isSuccess else { return "" }
        return "job \(status.name)" + (status.reason.map { ": \($0)" } ?? "")
    }

    private static func submitStatus(node: PlanNode, state: NodeState?) -> InterlinkStageStatus {
        guard let state else { return .pending }
        if state.blockedBy != nil { return .failed }
        if node.job?.submit == .createOnly { return state[StepRef(.create)].isSucceeded ? .skipped : pending(state) }
        if state[StepRef(.submit)].isSucceeded { return .success }
        return pending(state)
    }

    private static func pending(_ state: NodeState) -> InterlinkStageStatus {
        state.steps.values.contains { $0.phase == .failed } ? .failed : .pending
    }
}

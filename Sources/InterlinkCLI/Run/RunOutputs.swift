import Foundation
import InterlinkCore
import InterlinkEngine

/// A run's downloaded outputs as its journal records them: where each went, what was written, and whether it is
/// still there (outputs on demand).
package enum RunOutputs {
    /// One output of one job.
    package struct Output: Sendable {
        /// The job's node.
        package var node: PlanNode
        /// Where the run puts it.
        package var placement: OutputSelection.Placement
        /// What the run wrote, when its download succeeded.
        package var recorded: DownloadedFile?
    }

    /// Every listed output of the jobs whose listing succeeded, in plan order.
    ///
    /// - Parameters:
    ///   - plan: The run's frozen plan.
    ///   - state: Its journal folded.
    ///   - jobs: Only these job names; nil for all.
    /// - Returns: The outputs.
    package static func outputs(plan: Plan, state: RunState, jobs: Set<String>? = nil) -> [Output] {
        plan.jobs.flatMap { node -> [Output] in
            guard let job = node.job, jobs?.contains(node.name) ?? true,
                let nodeState = state.nodes[node.id], nodeState[StepRef(.download)].isSucceeded
            else { return [] }
            let listed = nodeState[StepRef(.download)].outputs ?? []
            return OutputSelection.placements(of: listed, for: job, baseDirectory: plan.baseDirectory).map {
                let step = nodeState[StepRef(.download, item: $0.relativePath)]
                return Output(node: node, placement: $0, recorded: step.isSucceeded ? step.download : nil)
            }
        }
    }

    /// How many downloaded outputs are missing or changed at their destination (size and checksum as written).
    ///
    /// - Parameters:
    ///   - outputs: The run's outputs.
    ///   - platform: The run's platform, which checks a file against an output.
    /// - Returns: The count of downloaded outputs no longer as written.
    /// - Throws: `CancellationError`.
    package static func staleCount(_ outputs: [Output], platform: any Platform) async throws -> Int {
        var stale = 0
        for output in outputs where output.recorded != nil {
            try Task.checkCancellation()
            let present = try? await platform.verifyDownload(output.placement.output, at: output.placement.path)
            if present?.sha512 != output.recorded?.sha512 { stale += 1 }
        }
        return stale
    }

    /// Where the outputs went and where each failed job's log is, for the end-of-run summary.
    ///
    /// - Parameters:
    ///   - plan: The run's plan.
    ///   - state: Its journal folded.
    ///   - failed: The names of the jobs that failed.
    ///   - currentDirectory: Paths are shown relative to it.
    /// - Returns: Zero or more lines, each ending in a newline.
    package static func whereabouts(plan: Plan, state: RunState, failed: Set<String>, currentDirectory: String)
        -> String
    {
        let shown = { (path: String) in PathName.relative(path, to: currentDirectory) ?? path }
        let outputs = Self.outputs(plan: plan, state: state).filter { $0.recorded != nil }
        var text = ""
        var folders: [String: Set<String>] = [:]
        for output in outputs {
            guard let job = output.node.job else { continue }
            let template = job.outputs.destination.replacingOccurrences(of: "{job}", with: "<job>")
            folders[shown(PathName.resolve(template, against: plan.baseDirectory)), default: []].insert(job.name)
        }
        let counted = { (count: Int, noun: String) in "\(count) \(noun)" + (count == 1 ? "" : "s") }
        for (folder, jobs) in folders.sorted(by: { $0.key < $1.key }) {
            let files = outputs.filter { jobs.contains($0.node.name) }.count
            text += "outputs: \(folder)/ (\(counted(files, "file")), \(counted(jobs.count, "job")))\n"
        }
        for node in plan.jobs where failed.contains(node.name) {
            let log = outputs.first {
                $0.node.id == node.id && PathName.basename($0.placement.relativePath) == "process_output.log"
            }
            if let log {
                text += "log of '\(node.name)': \(shown(log.placement.path))\n"
            } else if state.nodes[node.id]?.jobID != nil {
                text += "log of '\(node.name)': not downloaded\n"
            }
        }
        return text
    }
}

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
        var outputs: [Output] = []
        forEachOutput(plan: plan, state: state, jobs: jobs) { node, placement, recorded in
            outputs.append(Output(node: node, placement: placement, recorded: recorded))
        }
        return outputs
    }

    /// Calls `body` with every listed output of the jobs whose listing succeeded, in plan order, without
    /// gathering them: an ``Output`` holds its job's whole node, and 10,000 of them gathered (and their array
    /// regrown) were a quarter of a 10,000-job run's peak memory when only counts were wanted.
    ///
    /// - Parameters:
    ///   - plan: The run's frozen plan.
    ///   - state: Its journal folded.
    ///   - jobs: Only these job names; nil for all.
    ///   - body: Takes the job's node, where the output goes, and what was written when its download succeeded.
    static func forEachOutput(
        plan: Plan,
        state: RunState,
        jobs: Set<String>? = nil,
        _ body: (PlanNode, OutputSelection.Placement, DownloadedFile?) -> Void
    ) {
        for node in plan.nodes {
            guard let job = node.job, jobs?.contains(node.name) ?? true,
                let nodeState = state.nodes[node.id], nodeState[StepRef(.download)].isSucceeded
            else { continue }
            let listed = nodeState[StepRef(.download)].outputs ?? []
            for placement in OutputSelection.placements(of: listed, for: job, baseDirectory: plan.baseDirectory) {
                let step = nodeState[StepRef(.download, item: placement.relativePath)]
                body(node, placement, step.isSucceeded ? step.download : nil)
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
        // Counted as they are visited: the jobs and files of each destination folder, and the log of each failed
        // job, instead of a list of every output.
        var folders: [String: (jobs: Set<String>, files: Int)] = [:]
        var logs: [NodeID: String] = [:]
        forEachOutput(plan: plan, state: state) { node, placement, recorded in
            guard recorded != nil, let job = node.job else { return }
            let template = job.outputs.destination.replacingOccurrences(of: "{job}", with: "<job>")
            let folder = shown(PathName.resolve(template, against: plan.baseDirectory))
            folders[folder, default: ([], 0)].jobs.insert(job.name)
            folders[folder, default: ([], 0)].files += 1
            if failed.contains(node.name), logs[node.id] == nil,
                PathName.basename(placement.relativePath) == "process_output.log"
            {
                logs[node.id] = placement.path
            }
        }
        var text = ""
        let counted = { (count: Int, noun: String) in "\(count) \(noun)" + (count == 1 ? "" : "s") }
        for (folder, counts) in folders.sorted(by: { $0.key < $1.key }) {
            text += "outputs: \(folder)/ (\(counted(counts.files, "file")), \(counted(counts.jobs.count, "job")))\n"
        }
        for node in plan.jobs where failed.contains(node.name) {
            if let log = logs[node.id] {
                text += "log of '\(node.name)': \(shown(log))\n"
            } else if state.nodes[node.id]?.jobID != nil {
                text += "log of '\(node.name)': not downloaded\n"
            }
        }
        return text
    }
}

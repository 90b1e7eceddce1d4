import ArgumentParser
import Foundation
import InterlinkCore
import InterlinkEngine

/// `rescale-int status [run]`: where each job of a run stands, read from its journal without taking its lock.
package struct StatusCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show where each job of a run stands.",
        discussion: ExitStatus.helpText([.success, .usage, .invalidInput])
    )

    /// The run: a workflow file, its directory, a run id or a run directory, from any working directory.
    @Argument(help: "A workflow file, its directory, a run id or a run directory (default: the newest unfinished).")
    package var run: String?

    /// Print JSON instead of a table.
    @Flag(help: "Print the status as JSON.")
    package var json = false

    /// Creates the command (ArgumentParser fills it in).
    package init() {}

    /// One node in `--json` output.
    struct NodeStatus: Encodable {
        var node: String
        var name: String
        var state: String
        var stage: String?
        var jobID: String?
        var jobStatus: String?
        var error: String?
    }

    /// The whole `--json` document.
    struct RunStatus: Encodable {
        var run: String
        var state: String
        var workflow: String
        var started: Date?
        var nodes: [NodeStatus]
    }

    package func run() async throws {
        let currentDirectory = FileManager.default.currentDirectoryPath
        try await Console.exit { () throws(CommandFailure) -> ExitStatus in
            let snapshot = try RunSnapshot(directory: RunStore.resolve(run, currentDirectory: currentDirectory))
            print(json ? Self.json(snapshot) : Self.text(snapshot), terminator: "")
            return .success
        }
    }

    static func text(_ snapshot: RunSnapshot) -> String {
        let jobs = snapshot.jobs
        let done = jobs.filter { $0.standing == .done }.count
        let failed = jobs.filter { $0.standing == .failed }.count
        return "run \(snapshot.runID) (\(snapshot.plan.source)): \(snapshot.standing), "
            + "\(done) of \(jobs.count) jobs done, \(failed) failed\n\n" + RunReport.statusTable(snapshot)
    }

    static func json(_ snapshot: RunSnapshot) -> String {
        let nodes = snapshot.plan.nodes.map { node in
            let state = snapshot.state.nodes[node.id]
            return NodeStatus(
                node: node.id.rawValue,
                name: node.name,
                state: NodeStanding(node: node, state: state, baseDirectory: snapshot.plan.baseDirectory).rawValue,
                stage: state?.furthestStage?.rawValue,
                jobID: state?.jobID?.rawValue,
                jobStatus: state?.jobStatus?.name,
                error: state?.openError?.message
            )
        }
        let document = RunStatus(
            run: snapshot.runID.rawValue,
            state: snapshot.standing,
            workflow: snapshot.plan.source,
            started: snapshot.started,
            nodes: nodes
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let data = (try? encoder.encode(document)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

import ArgumentParser
import Foundation
import InterlinkCore
import InterlinkEngine

/// `rescale-int runs [directory]`: the runs kept under a directory's `.interlink/runs`.
package struct RunsCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List the runs of the workflows in a directory.",
        discussion: ExitStatus.helpText([.success, .usage]),
        subcommands: [RunsRemoveCommand.self]
    )

    /// The directory holding `.interlink/` (or a workflow file in it).
    @Argument(help: "The workflow's directory, or the workflow file (default: the current directory).")
    package var directory: String?

    /// Creates the command (ArgumentParser fills it in).
    package init() {}

    package func run() async throws {
        let currentDirectory = FileManager.default.currentDirectoryPath
        var base = directory.map { PathName.resolve($0, against: currentDirectory) } ?? currentDirectory
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: base, isDirectory: &isDirectory), !isDirectory.boolValue {
            base = PathName.dirname(base)
        }
        let (runs, problems) = RunStore(baseDirectory: base).snapshots()
        Console.report(problems)
        guard !runs.isEmpty else {
            print("no runs in '\(RunStore(baseDirectory: base).runsDirectory)'")
            return
        }
        print(Self.table(runs), terminator: "")
    }

    static func table(_ runs: [RunSnapshot]) -> String {
        var table = TextTable(header: ["RUN", "WORKFLOW", "STATE", "JOBS", "DONE", "FAILED", "STARTED"])
        for run in runs {
            let jobs = run.jobs
            table.rows.append([
                run.runID.rawValue, PathName.basename(run.plan.source), run.standing, String(jobs.count),
                String(jobs.filter { $0.standing == .done }.count),
                String(jobs.filter { $0.standing == .failed }.count), RunReport.date(run.started),
            ])
        }
        return table.rendered
    }
}

import ArgumentParser
import Foundation
import InterlinkCore
import InterlinkEngine

/// `rescale-int runs [workflow|directory|run]`: the runs kept under a workflow directory's `.interlink/runs`.
package struct RunsCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List the runs of the workflows in a directory.",
        discussion: """
            Accepts a workflow file (its runs only), its directory, a run id or a run directory (the runs beside \
            it), from any working directory. --all lists every workflow directory where a run started \
            (the index under $XDG_STATE_HOME/rescale-int, or $INTERLINK_STATE_DIR).

            \(ExitStatus.helpText([.success, .usage]))
            """,
        subcommands: [RunsRemoveCommand.self]
    )

    /// What to list.
    @Argument(help: "A workflow file, its directory, a run id or a run directory (default: the current directory).")
    package var directory: String?

    /// List every indexed workflow directory.
    @Flag(help: "List the runs of every workflow directory where a run was started.")
    package var all = false

    /// Print JSON instead of a table.
    @Flag(help: "Print the runs as JSON (schemas/runs.schema.json).")
    package var json = false

    /// Creates the command (ArgumentParser fills it in).
    package init() {}

    /// One run in `--json` output.
    struct RunEntry: Encodable {
        var run: String
        var workflow: String
        var directory: String
        var platform: String
        var state: String
        var jobs: Int
        var done: Int
        var failed: Int
        var started: Date?
    }

    /// The whole `--json` document.
    struct Document: Encodable {
        var runs: [RunEntry]
    }

    package func validate() throws {
        if all, directory != nil { throw ValidationError("--all lists every directory; give no argument with it.") }
    }

    package func run() async throws {
        let currentDirectory = FileManager.default.currentDirectoryPath
        try await Console.exit { () throws(CommandFailure) -> ExitStatus in
            let (bases, workflow) = try selection(currentDirectory: currentDirectory)
            let stateDirectory = RunIndex().stateDirectory
            var runs: [RunRow] = []
            for base in bases {
                let (found, problems) = RunStore(baseDirectory: base).rows(stateDirectory: stateDirectory)
                Console.report(problems)
                runs += found.filter { workflow == nil || PathName.basename($0.workflow) == workflow }
            }
            if json {
                print(Self.json(runs), terminator: "")
            } else if runs.isEmpty {
                print(
                    all
                        ? "no runs in the directories listed in '\(RunIndex().path)'"
                        : "no runs in '\(RunStore(baseDirectory: bases.first ?? currentDirectory).runsDirectory)'"
                )
            } else {
                print(Self.table(runs, showsDirectory: all), terminator: "")
            }
            return .success
        }
    }

    /// The base directories to list and, for a workflow file, the workflow's file name.
    private func selection(currentDirectory: String) throws(CommandFailure) -> (bases: [String], workflow: String?) {
        if all { return (RunIndex().directories().map(\.directory), nil) }
        guard let directory else { return ([currentDirectory], nil) }
        let path = PathName.resolve(directory, against: currentDirectory)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
            return ([PathName.dirname(path)], PathName.basename(path))
        }
        if isDirectory.boolValue, !FileManager.default.fileExists(atPath: PathName.join(path, "plan.json")),
            !FileManager.default.fileExists(atPath: PathName.join(path, "journal.jsonl"))
        {
            return ([path], nil)
        }
        // A run id or a run directory: the runs beside it.
        let run = try RunStore.resolve(directory, currentDirectory: currentDirectory)
        return ([PathName.dirname(PathName.dirname(PathName.dirname(run.path)))], nil)
    }

    /// The platform a run is on: as its journal recorded it, else as its plan says.
    static func platform(_ run: RunSnapshot) -> String {
        platform(recorded: run.state.platform, plan: run.plan)
    }

    /// The platform a run is on, from what its journal recorded (if anything) and its plan.
    static func platform(recorded: String?, plan: Plan) -> String {
        recorded ?? plan.platform.rawValue
    }

    static func table(_ runs: [RunRow], showsDirectory: Bool = false) -> String {
        var header = ["RUN", "WORKFLOW", "PLATFORM", "STATE", "JOBS", "DONE", "FAILED", "STARTED"]
        if showsDirectory { header.append("DIRECTORY") }
        var table = TextTable(header: header)
        for run in runs {
            var row = [
                run.runID, PathName.basename(run.workflow), run.platform, run.standing, String(run.jobs),
                String(run.done), String(run.failed), RunReport.date(run.started),
            ]
            if showsDirectory { row.append(run.baseDirectory) }
            table.rows.append(row)
        }
        return table.rendered
    }

    static func json(_ runs: [RunRow]) -> String {
        let entries = runs.map { run in
            RunEntry(
                run: run.runID,
                workflow: run.workflow,
                directory: run.directory,
                platform: run.platform,
                state: run.standing,
                jobs: run.jobs,
                done: run.done,
                failed: run.failed,
                started: run.started
            )
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let data = (try? encoder.encode(Document(runs: entries))) ?? Data("{\"runs\":[]}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

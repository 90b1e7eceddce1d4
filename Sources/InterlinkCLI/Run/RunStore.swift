import Foundation
import InterlinkCore
import InterlinkEngine

/// The runs kept beside a workflow: `<base>/.interlink/runs/<run-id>/`, found by id, by path, or as the latest.
package struct RunStore: Sendable {
    /// The directory holding `.interlink/` (a workflow's directory).
    package var baseDirectory: String

    /// Creates a store for a base directory.
    package init(baseDirectory: String) { self.baseDirectory = baseDirectory }

    /// `<base>/.interlink/runs`.
    package var runsDirectory: String { RunDirectory.runsDirectory(baseDirectory: baseDirectory) }

    /// The run ids present, oldest first (ids start with their UTC start time, so name order is time order).
    package func runIDs() -> [RunID] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: runsDirectory)) ?? []
        // Names starting with a dot are new runs still being assembled (or whose start crashed): not runs yet.
        return names.sorted().filter { name in
            !name.hasPrefix(".")
                && FileManager.default.fileExists(
                    atPath: PathName.join(PathName.join(runsDirectory, name), "plan.json")
                )
        }.map(RunID.init)
    }

    /// The directory of a run.
    package func directory(of run: RunID) -> RunDirectory {
        RunDirectory(baseDirectory: baseDirectory, runID: run)
    }

    /// Every readable run, oldest first; unreadable ones are reported in `problems`.
    package func snapshots() -> (runs: [RunSnapshot], problems: [Diagnostic]) {
        var runs: [RunSnapshot] = []
        var problems: [Diagnostic] = []
        for id in runIDs() {
            do { runs.append(try RunSnapshot(directory: directory(of: id))) } catch {
                problems.append(contentsOf: error.diagnostics.map { Diagnostic(.warning, $0.message, at: $0.location) })
            }
        }
        return (runs, problems)
    }

    /// The latest run of a workflow file (matched by file name: one directory may hold several workflows).
    ///
    /// - Throws: ``CommandFailure`` when that run's journal is corrupt.
    package func latestRun(ofWorkflowNamed name: String) throws(CommandFailure) -> RunSnapshot? {
        for id in runIDs().reversed() {
            let snapshot = try RunSnapshot(directory: directory(of: id))
            if PathName.basename(snapshot.plan.source) == name { return snapshot }
        }
        return nil
    }

    /// Resolves what the user named: a run id under `cwd/.interlink/runs`, a run directory's path, or nothing (the
    /// newest run there that has not succeeded, else the newest run).
    ///
    /// - Parameters:
    ///   - argument: The id or path given, if any.
    ///   - currentDirectory: The absolute directory relative paths resolve against.
    /// - Returns: The run's directory.
    /// - Throws: ``CommandFailure`` (exit 64) when nothing matches.
    package static func resolve(_ argument: String?, currentDirectory: String) throws(CommandFailure)
        -> RunDirectory
    {
        let here = RunStore(baseDirectory: currentDirectory)
        if let argument {
            let path = PathName.resolve(argument, against: currentDirectory)
            // A journal without its plan is still a run folder: the snapshot refuses it, naming what is missing.
            if FileManager.default.fileExists(atPath: PathName.join(path, "plan.json"))
                || FileManager.default.fileExists(atPath: PathName.join(path, "journal.jsonl"))
            {
                // …/<base>/.interlink/runs/<id>: the base is three levels up.
                let id = RunID(PathName.basename(path))
                let base = PathName.dirname(PathName.dirname(PathName.dirname(path)))
                return RunDirectory(baseDirectory: base, runID: id)
            }
            let id = RunID(argument)
            if here.runIDs().contains(id) { return here.directory(of: id) }
            throw CommandFailure.usage(
                "no run '\(argument)' in '\(here.runsDirectory)'",
                help: "give a run id that 'rescale-int runs' lists, or the path of a run directory"
            )
        }
        let ids = here.runIDs()
        let unfinished = ids.last { id in
            (try? RunSnapshot(directory: here.directory(of: id)))?.state.lastResult != .succeeded
        }
        guard let id = unfinished ?? ids.last else {
            throw CommandFailure.usage(
                "no runs in '\(here.runsDirectory)'",
                help: "start one with 'rescale-int run <workflow>', or name a run directory"
            )
        }
        return here.directory(of: id)
    }
}

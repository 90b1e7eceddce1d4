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

    /// Every readable run's line for `runs`, oldest first, from its tally where its files are unchanged
    /// (``RunTally``); unreadable runs are reported in `problems`.
    ///
    /// - Parameter stateDirectory: Where tallies are kept (``RunIndex/stateDirectory``).
    /// - Returns: The rows, and a warning for each run that could not be read.
    package func rows(stateDirectory: String) -> (runs: [RunRow], problems: [Diagnostic]) {
        var runs: [RunRow] = []
        var problems: [Diagnostic] = []
        for id in runIDs() {
            do { runs.append(try RunTally.row(of: directory(of: id), stateDirectory: stateDirectory)) } catch {
                problems.append(contentsOf: error.diagnostics.map { Diagnostic(.warning, $0.message, at: $0.location) })
            }
        }
        return (runs, problems)
    }

    /// The latest run of a workflow file (matched by file name: one directory may hold several workflows).
    ///
    /// Only the matching run's journal is folded.
    ///
    /// - Parameters:
    ///   - name: The workflow file's name.
    ///   - withNodes: Whether the runs' plans are read with their nodes; without them (the plan's ``Plan/nodes``
    ///     and the snapshot's ``RunSnapshot/jobs`` empty), matching a run and what continuing it needs cost a few
    ///     ms for a 10,000-job run, not 0.5 s of CPU and tens of MiB.
    /// - Returns: The run, or nil when the directory has none of that workflow.
    /// - Throws: ``CommandFailure`` when a newer run's plan, or that run's journal, is unreadable.
    package func latestRun(ofWorkflowNamed name: String, withNodes: Bool = true) throws(CommandFailure)
        -> RunSnapshot?
    {
        for id in runIDs().reversed() {
            let directory = directory(of: id)
            let plan = try RunSnapshot.frozenPlan(of: directory, nodes: withNodes)
            guard PathName.basename(plan.source) == name else { continue }
            return try RunSnapshot(directory: directory, plan: plan)
        }
        return nil
    }

    /// Resolves what the user named, from any working directory: a run directory's path, a workflow file (its
    /// latest run), a workflow's directory (its newest unfinished run, else its newest), a run id (looked up under
    /// the current directory, then in every directory ``RunIndex`` knows), or nothing (the current directory).
    ///
    /// - Parameters:
    ///   - argument: The id or path given, if any.
    ///   - currentDirectory: The absolute directory relative paths resolve against.
    ///   - index: Where runs started elsewhere are listed.
    /// - Returns: The run's directory.
    /// - Throws: ``CommandFailure`` (exit 64) when nothing matches, 65 when a workflow's latest run is unreadable.
    package static func resolve(
        _ argument: String?,
        currentDirectory: String,
        index: RunIndex = RunIndex()
    ) throws(CommandFailure) -> RunDirectory {
        guard let argument else { return try newest(in: RunStore(baseDirectory: currentDirectory)) }
        let path = PathName.resolve(argument, against: currentDirectory)
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        if files.fileExists(atPath: path, isDirectory: &isDirectory) {
            // A journal without its plan is still a run folder: the snapshot refuses it, naming what is missing.
            if files.fileExists(atPath: PathName.join(path, "plan.json"))
                || files.fileExists(atPath: PathName.join(path, "journal.jsonl"))
            {
                // …/<base>/.interlink/runs/<id>: the base is three levels up.
                let id = RunID(PathName.basename(path))
                let base = PathName.dirname(PathName.dirname(PathName.dirname(path)))
                return RunDirectory(baseDirectory: base, runID: id)
            }
            if isDirectory.boolValue { return try newest(in: RunStore(baseDirectory: path)) }
            let store = RunStore(baseDirectory: PathName.dirname(path))
            guard let latest = try store.latestRun(ofWorkflowNamed: PathName.basename(path), withNodes: false) else {
                throw CommandFailure.usage(
                    "no run of '\(argument)' in '\(store.runsDirectory)'",
                    help: "start one with 'rescale-int run \(argument)'"
                )
            }
            return latest.directory
        }
        let id = RunID(argument)
        let places = [currentDirectory] + index.directories().map(\.directory)
        for base in places {
            let store = RunStore(baseDirectory: base)
            if store.runIDs().contains(id) { return store.directory(of: id) }
        }
        throw CommandFailure.usage(
            "no run '\(argument)' in '\(RunStore(baseDirectory: currentDirectory).runsDirectory)' or in the "
                + "\(places.count - 1) workflow directories in '\(index.path)'",
            help: "give a run id that 'rescale-int runs' lists (--all: every directory), a workflow file or a run "
                + "directory"
        )
    }

    /// The newest run of a directory that has not succeeded, else its newest run.
    private static func newest(in store: RunStore) throws(CommandFailure) -> RunDirectory {
        let ids = store.runIDs()
        // Each run's journal is looked at from its end; only one the quick look cannot read is folded whole.
        let unfinished = ids.last { id in
            let directory = store.directory(of: id)
            switch JournalReader.lastRun(FileManager.default.contents(atPath: directory.journalPath) ?? Data()) {
            case .finished(let result): return result != .succeeded
            case .unfinished: return true
            case .unknown: return (try? RunSnapshot(directory: directory))?.state.lastResult != .succeeded
            }
        }
        guard let id = unfinished ?? ids.last else {
            throw CommandFailure.usage(
                "no runs in '\(store.runsDirectory)'",
                help: "start one with 'rescale-int run <workflow>', or name a workflow or a run directory"
            )
        }
        return store.directory(of: id)
    }
}

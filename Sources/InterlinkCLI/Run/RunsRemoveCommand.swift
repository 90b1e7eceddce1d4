import ArgumentParser
import Foundation
import InterlinkCore
import InterlinkEngine
import InterlinkSystem
import LocalCloud

/// `rescale-int runs rm <run>`: removes a run's folder and the local platform's state only that run uses.
package struct RunsRemoveCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "rm",
        abstract: "Remove a run: its folder and the local platform's objects and records only it uses.",
        usage: "rescale-int runs rm <run> [--dry-run]",
        discussion: """
            Local state only: jobs on Rescale and their files are not touched. A run in use by a runner is \
            refused (75), naming the runner's pid and command.

            \(ExitStatus.helpText([.success, .usage, .ioError, .inUse]))
            """
    )

    /// The run: its id under ./.interlink/runs, or the path of its directory.
    @Argument(help: ArgumentHelp("A run id (see 'rescale-int runs') or a run directory.", valueName: "run"))
    package var target: String

    /// Report only.
    @Flag(help: "Print what would be removed and freed; remove nothing.")
    package var dryRun = false

    /// Creates the command (ArgumentParser fills it in).
    package init() {}

    package func run() async throws {
        let currentDirectory = FileManager.default.currentDirectoryPath
        let run = try RunStore.resolve(target, currentDirectory: currentDirectory)
        // Held while the run's state is removed, so no runner can start on it meanwhile.
        let lock: FileLock
        do {
            lock = try FileLock(path: PathName.join(run.path, "lock"))
        } catch {
            switch error {
            case .held(let pid): throw LocalStateSweep.inUse(run, pid: pid, action: "remove")
            case .unusable(let failure):
                throw CommandFailure([.error("cannot lock the run: \(failure)")], status: .ioError)
            }
        }
        defer { lock.release() }
        // …/<base>/.interlink/runs/<id>: the base is three levels up.
        let base = PathName.dirname(PathName.dirname(PathName.dirname(run.path)))
        let store = RunStore(baseDirectory: base)
        let kept = store.runIDs().filter { $0 != run.runID }.map(store.directory(of:))
        let root = PlatformChoice.localRoot(baseDirectory: base)
        var removal = LocalCloudCleanup.nothing
        if FileManager.default.fileExists(atPath: root) {
            do {
                removal = try LocalCloudCleanup.plan(
                    root: root,
                    isKept: { $0 != run.runID.rawValue },
                    mentioned: LocalStateSweep.mentionedStrings(in: kept),
                    includeUnowned: false
                )
            } catch {
                throw LocalStateSweep.ioFailure(error, root: root)
            }
        }
        let folderBytes = LocalCloudCleanup.allocatedBytes(run.path)
        let summary = LocalStateSweep.summary(removal, extraBytes: folderBytes)
        if dryRun {
            print("would remove run \(run.runID) and \(summary)")
            return
        }
        do {
            try removal.apply()
        } catch {
            throw LocalStateSweep.ioFailure(error, root: root)
        }
        do {
            try FileManager.default.removeItem(atPath: run.path)
        } catch {
            throw CommandFailure(
                [.error("cannot remove '\(run.path)': \(error.localizedDescription)")],
                status: .ioError
            )
        }
        // Its tally for `runs` goes with it (a cache: nothing fails if it cannot).
        try? FileManager.default.removeItem(
            atPath: RunTally.path(of: run.path, stateDirectory: RunIndex().stateDirectory)
        )
        print("removed run \(run.runID) and \(summary) freed")
    }
}

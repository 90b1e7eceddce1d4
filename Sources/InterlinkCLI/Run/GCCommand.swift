import ArgumentParser
import Foundation
import InterlinkCore
import InterlinkEngine
import InterlinkSystem
import LocalCloud

/// `rescale-int gc [directory]`: removes the local platform's objects and records no remaining run uses.
package struct GCCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract: "Remove the local platform's objects and records that no remaining run uses.",
        discussion: """
            Records and objects of runs whose folder is gone are removed, with their jobs' work directories.
            Objects no record names and unfinished uploads are removed only when no run is active; so is the \
            record log compacted then (records.jsonl rewritten with one line per record that remains).

            \(ExitStatus.helpText([.success, .ioError]))
            """
    )

    /// The directory holding `.interlink/` (or a workflow file in it).
    @Argument(help: "The workflow's directory, or the workflow file (default: the current directory).")
    package var directory: String?

    /// Report only.
    @Flag(help: "Print what would be removed and freed; remove nothing.")
    package var dryRun = false

    /// Creates the command (ArgumentParser fills it in).
    package init() {}

    package func run() async throws {
        let currentDirectory = FileManager.default.currentDirectoryPath
        var base = directory.map { PathName.resolve($0, against: currentDirectory) } ?? currentDirectory
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: base, isDirectory: &isDirectory), !isDirectory.boolValue {
            base = PathName.dirname(base)
        }
        let root = PlatformChoice.localRoot(baseDirectory: base)
        guard FileManager.default.fileExists(atPath: root) else {
            print("nothing to free: no local platform in '\(root)'")
            return
        }
        let store = RunStore(baseDirectory: base)
        // Every entry under runs/, complete or still starting: a run being set up keeps what it owns.
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: store.runsDirectory)) ?? []
        let runs = store.runIDs().map(store.directory(of:))
        let isActive =
            entries.contains { $0.hasPrefix(".") } || runs.contains { FileLock.isHeld(at: $0.path + "/lock") }
        let removal: LocalCloudCleanup
        do {
            removal = try LocalCloudCleanup.plan(
                root: root,
                isKept: { id in entries.contains { $0.contains(id) } },
                mentioned: LocalStateSweep.mentionedStrings(in: runs),
                includeUnowned: !isActive
            )
            if !dryRun { try removal.apply() }
        } catch {
            throw LocalStateSweep.ioFailure(error, root: root)
        }
        let summary = LocalStateSweep.summary(removal)
        if removal.paths.isEmpty {
            print("nothing to free in '\(root)'")
        } else {
            print(dryRun ? "would free \(summary)" : "freed \(summary)")
        }
        try compactRecords(root: root, isActive: isActive)
    }

    /// Compacts the record log when no run is active (a run's records change as it goes), and says so.
    private func compactRecords(root: String, isActive: Bool) throws {
        guard let size = LocalCloudCleanup.recordLogSize(root: root) else { return }
        guard !isActive else {
            print("record log kept as it is (\(SpecPlanning.bytes(size))): a run is active; run gc again later")
            return
        }
        guard !dryRun else {
            print("would compact the record log (\(SpecPlanning.bytes(size)) now)")
            return
        }
        do {
            guard let compaction = try LocalCloudCleanup.compactRecords(root: root) else { return }
            print(
                "compacted the record log: \(SpecPlanning.bytes(compaction.before)) → "
                    + SpecPlanning.bytes(compaction.after)
            )
        } catch {
            throw LocalStateSweep.ioFailure(error, root: root)
        }
    }
}

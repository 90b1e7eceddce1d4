import Foundation
import InterlinkCore

/// The files of one run: `<baseDirectory>/.interlink/runs/<run-id>/` with `journal.jsonl`, `lock` and the frozen
/// `plan.json`.
package struct RunDirectory: Hashable, Sendable {
    /// The run.
    package var runID: RunID
    /// The run's directory.
    package var path: String

    /// The directory of a run of a plan whose base directory is `baseDirectory`.
    package init(baseDirectory: String, runID: RunID) {
        self.runID = runID
        self.path = PathName.join(Self.runsDirectory(baseDirectory: baseDirectory), runID.rawValue)
    }

    /// Where all runs of a base directory live.
    package static func runsDirectory(baseDirectory: String) -> String {
        PathName.join(PathName.join(baseDirectory, ".interlink"), "runs")
    }

    /// Where a new run is assembled (`.<run-id>.starting` beside it) until its plan and first records are durable.
    ///
    /// Commands list only folders whose names do not start with a dot, so a start that crashed leaves nothing they
    /// see, and never a run folder that has its plan but not its records.
    package var stagingPath: String { PathName.join(PathName.dirname(path), ".\(runID.rawValue).starting") }

    /// The directory that holds the run's `.interlink/` folder, where the run is now (three levels up from
    /// `path`, so a study folder copied or moved elsewhere acts on its own files).
    package var baseDirectory: String { PathName.dirname(PathName.dirname(PathName.dirname(path))) }

    /// The journal's path.
    package var journalPath: String { PathName.join(path, "journal.jsonl") }
    /// The frozen plan's path.
    package var planPath: String { PathName.join(path, "plan.json") }

    /// Refuses a damaged run folder, one that has only one of its plan and its journal.
    ///
    /// Damaged means `plan.json` with a missing, empty or unreadable `journal.jsonl`, or `journal.jsonl` without
    /// `plan.json`. A folder with neither is a run not started yet.
    ///
    /// - Parameter allowsEmptyJournal: Accept an empty journal (a runner that holds the lock may not have
    ///   written its first record yet).
    /// - Throws: `JournalError` with ``JournalError/Reason/damagedRun(_:)`` naming what is missing.
    package func checkIsIntact(allowsEmptyJournal: Bool = false) throws(JournalError) {
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        let hasJournal = files.fileExists(atPath: journalPath, isDirectory: &isDirectory)
        let damage: JournalError.RunDamage?
        switch (files.fileExists(atPath: planPath), hasJournal) {
        case (false, false): damage = nil
        case (false, true): damage = .planMissing
        case (true, false): damage = .journalMissing
        case (true, true):
            if isDirectory.boolValue || !files.isReadableFile(atPath: journalPath) {
                damage = .journalUnreadable
            } else if !allowsEmptyJournal, (try? files.attributesOfItem(atPath: journalPath)[.size] as? Int) == 0 {
                damage = .journalEmpty
            } else {
                damage = nil
            }
        }
        if let damage { throw JournalError(.damagedRun(damage), path: path) }
    }

    /// Writes the plan atomically (temporary file, then rename), with its paths relative to the base directory
    /// (``InterlinkCore/Plan/relocatable``), a node at a time (``PlanFile``).
    package func freeze(_ plan: Plan) throws(JournalError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            try PlanFile.write(plan, to: planPath)
        } catch {
            throw JournalError(.io("cannot write the plan: \(ErrorText.describe(error))"), path: planPath)
        }
    }

    /// The frozen plan, if one was written, with its paths resolved against where the run folder is now
    /// (``baseDirectory``), never against the directory recorded when it was written.
    ///
    /// - Parameter nodes: Whether its nodes are read; without them, only the plan around them is (its source,
    ///   settings and platform), which costs a few ms whatever the plan's size.
    /// - Returns: The plan; nil when the folder has no `plan.json`.
    /// - Throws: ``JournalError`` (a corrupt plan) when the file does not decode.
    package func frozenPlan(nodes: Bool = true) throws(JournalError) -> Plan? {
        guard let data = FileManager.default.contents(atPath: planPath) else { return nil }
        do {
            let plan = nodes ? try PlanFile.decode(data) : try PlanFile.outline(data)
            return plan.rebased(onto: baseDirectory)
        } catch {
            throw JournalError(.corruptPlan(ErrorText.describe(error)), path: planPath)
        }
    }
}

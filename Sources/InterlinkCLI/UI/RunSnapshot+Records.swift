import Foundation
import InterlinkCore
import InterlinkEngine

extension RunSnapshot {
    /// Reads a run directory as ``init(directory:)`` does, and also returns the journal's records, so the web UI
    /// reads a journal once for both the run's standing and its stage times.
    ///
    /// - Parameter directory: The run.
    /// - Returns: The snapshot and the records, oldest first.
    /// - Throws: ``CommandFailure`` (exit 65) as ``init(directory:)`` does.
    static func withRecords(_ directory: RunDirectory) throws(CommandFailure) -> (RunSnapshot, [JournalRecord]) {
        let isRunning = isLocked(PathName.join(directory.path, "lock"))
        do { try directory.checkIsIntact(allowsEmptyJournal: isRunning) } catch { throw CommandFailure(error) }
        let plan: Plan?
        do { plan = try directory.frozenPlan() } catch {
            throw CommandFailure(error.diagnostics, status: .invalidInput)
        }
        guard let plan else {
            throw CommandFailure([.error("'\(directory.path)' has no plan.json")], status: .invalidInput)
        }
        let data = FileManager.default.contents(atPath: directory.journalPath) ?? Data()
        let records: [JournalRecord]
        do { records = try JournalReader.parse(data, path: directory.journalPath).records } catch {
            throw CommandFailure(error)
        }
        return (
            RunSnapshot(
                directory: directory,
                plan: plan,
                journal: FoldedJournal(records: records),
                isRunning: isRunning
            ),
            records
        )
    }

    /// A snapshot from parts already read.
    private init(directory: RunDirectory, plan: Plan, journal: FoldedJournal, isRunning: Bool) {
        self.directory = directory
        self.plan = plan
        self.journal = journal
        self.isRunning = isRunning
    }
}

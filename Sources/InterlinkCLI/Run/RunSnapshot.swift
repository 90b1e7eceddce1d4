import Foundation
import InterlinkCore
import InterlinkEngine
import InterlinkSystem

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only look at one run directory.
///
/// It holds the frozen plan, the journal folded, when the run started and whether a runner holds it now. Reading
/// never takes the run's lock and never writes.
package struct RunSnapshot: Sendable {
    /// The run's files.
    package var directory: RunDirectory
    /// The frozen plan.
    package var plan: Plan
    /// The journal folded.
    package var state: RunState { journal.state }
    /// The journal as read (its fold, and the file's identity, so an engine continuing the run need not read it
    /// again).
    package var journal: FoldedJournal
    /// When the first runner started, from the first record.
    package var started: Date? { journal.started }
    /// Whether a runner holds the lock at this moment.
    package var isRunning: Bool

    /// The run.
    package var runID: RunID { directory.runID }

    /// Reads a run directory.
    ///
    /// - Throws: ``CommandFailure`` (exit 65) when the folder lacks its plan or its journal, the plan is
    ///   unreadable, or a journal line is corrupt.
    package init(directory: RunDirectory) throws(CommandFailure) {
        try self.init(directory: directory, plan: Self.frozenPlan(of: directory, nodes: true))
    }

    /// Reads a run directory whose frozen plan was read already (``frozenPlan(of:nodes:)``): the journal folded.
    ///
    /// - Throws: ``CommandFailure`` (exit 65) when the folder lacks its journal or a journal line is corrupt.
    package init(directory: RunDirectory, plan: Plan) throws(CommandFailure) {
        self.directory = directory
        let isRunning = Self.isLocked(PathName.join(directory.path, "lock"))
        self.isRunning = isRunning
        // A runner holding the lock may not have written its first record yet.
        do { try directory.checkIsIntact(allowsEmptyJournal: isRunning) } catch { throw CommandFailure(error) }
        self.plan = plan
        do { journal = try FoldedJournal.read(path: directory.journalPath) } catch { throw CommandFailure(error) }
    }

    /// A run directory's frozen plan, after checking that the folder has its files.
    ///
    /// - Parameters:
    ///   - directory: The run's folder.
    ///   - nodes: Whether the plan's nodes are read (without them: its source, settings and platform, in a few
    ///     ms whatever its size; ``jobs`` is then empty).
    /// - Returns: The plan, its paths resolved against where the folder is now.
    /// - Throws: ``CommandFailure`` (exit 65) when the folder lacks its plan or its journal, or the plan is
    ///   unreadable.
    package static func frozenPlan(of directory: RunDirectory, nodes: Bool) throws(CommandFailure) -> Plan {
        // A runner holding the lock may not have written its first record yet.
        let isRunning = isLocked(PathName.join(directory.path, "lock"))
        do { try directory.checkIsIntact(allowsEmptyJournal: isRunning) } catch { throw CommandFailure(error) }
        let plan: Plan?
        // A plan.json that does not decode is corrupt input (65), like a corrupt journal line.
        do { plan = try directory.frozenPlan(nodes: nodes) } catch {
            throw CommandFailure(error.diagnostics, status: .invalidInput)
        }
        guard let plan else {
            throw CommandFailure(
                [.error("'\(directory.path)' has no plan.json", help: "start the run again with 'rescale-int run'")],
                status: .invalidInput
            )
        }
        return plan
    }

    /// How the run stands as a whole.
    package var standing: String {
        Self.standing(isRunning: isRunning, lastResult: state.lastResult?.rawValue, starts: state.starts)
    }

    /// How a run stands as a whole, from whether a runner holds it and its journal's last result and start count.
    static func standing(isRunning: Bool, lastResult: String?, starts: Int) -> String {
        if isRunning { return "running" }
        if let lastResult { return lastResult }
        return starts > 0 ? "interrupted" : "new"
    }

    /// Each job's standing, in plan order.
    package var jobs: [(node: PlanNode, standing: NodeStanding)] {
        plan.jobs.map { ($0, NodeStanding(node: $0, state: state.nodes[$0.id], baseDirectory: plan.baseDirectory)) }
    }

    /// Whether another process holds the run's lock.
    static func isLocked(_ path: String) -> Bool { FileLock.isHeld(at: path) }
}

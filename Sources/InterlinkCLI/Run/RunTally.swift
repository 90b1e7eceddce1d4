import Foundation
import InterlinkCore
import InterlinkEngine
import InterlinkSystem

/// One line of `rescale-int runs`: what its table and `--json` show of a run.
package struct RunRow: Sendable {
    /// The run's id.
    package var runID: String
    /// The workflow file the plan came from.
    package var workflow: String
    /// The run's folder.
    package var directory: String
    /// The workflow's directory (where the folder is now).
    package var baseDirectory: String
    /// The platform: as the journal recorded it, else as the plan says.
    package var platform: String
    /// How the run stands as a whole (``RunSnapshot/standing``).
    package var standing: String
    /// How many jobs the plan has.
    package var jobs: Int
    /// How many of them are done.
    package var done: Int
    /// How many of them failed.
    package var failed: Int
    /// When the first runner started.
    package var started: Date?
}

/// What `runs` lists of a run that only its journal and plan decide, kept between listings under the user's state
/// directory (`<state>/run-tallies/`) while both files are unchanged.
///
/// Counting a run's jobs by standing reads its whole plan and folds its whole journal: about a second for a
/// 10,000-job run, for every such run at every listing. A tally is used only while the journal and the plan have
/// the size, times, inode and device they had before the tally was made, so any record appended since makes it be
/// made again, and one made while the files changed is not kept. It is a cache: failing to write it never fails
/// the listing, and a tally that cannot be read is made again. The run's own folder is never written.
struct RunTally: Codable, Equatable, Sendable {
    /// What `stat` says of the journal and the plan (the journal's own check before reusing a fold).
    typealias Identity = FoldedJournal.Identity

    var v = 1
    /// The run's folder (a check against a name collision).
    var run: String
    var journal: Identity
    var plan: Identity
    var jobs: Int
    var done: Int
    var failed: Int
    /// The journal's last run result, start count, platform and first record's time.
    var lastResult: String?
    var starts: Int
    var platform: String?
    var started: Date?

    /// The tallies' directory under a state directory.
    static func directory(stateDirectory: String) -> String {
        PathName.join(stateDirectory, "run-tallies")
    }

    /// The tally file of a run folder, named after its path (a collision is caught by ``run``).
    static func path(of run: String, stateDirectory: String) -> String {
        PathName.join(directory(stateDirectory: stateDirectory), NameDigest.of(run) + ".json")
    }

    /// A run's row: from its tally while its journal and plan are unchanged, else from the whole run (and the
    /// tally made again when the files did not change meanwhile and no runner holds the run).
    ///
    /// - Parameters:
    ///   - directory: The run's folder.
    ///   - stateDirectory: Where tallies are kept.
    /// - Returns: The row.
    /// - Throws: ``CommandFailure`` (exit 65) as ``RunSnapshot`` does for a damaged run folder.
    static func row(of directory: RunDirectory, stateDirectory: String) throws(CommandFailure) -> RunRow {
        let file = path(of: directory.path, stateDirectory: stateDirectory)
        let isRunning = RunSnapshot.isLocked(PathName.join(directory.path, "lock"))
        // The files' identities before anything is read: a tally is used, or made, only while they still hold.
        let identities = { (Identity.of(path: directory.journalPath), Identity.of(path: directory.planPath)) }
        let before = identities()
        if !isRunning, let journal = before.0, let plan = before.1,
            let tally = try? AtomicFile.readJSON(RunTally.self, from: file),
            tally.v == 1, tally.run == directory.path, tally.journal == journal, tally.plan == plan
        {
            let frozen = try RunSnapshot.frozenPlan(of: directory, nodes: false)
            return tally.row(directory: directory, plan: frozen)
        }
        let snapshot = try RunSnapshot(directory: directory)
        let row = RunRow(snapshot)
        let after = identities()
        if !snapshot.isRunning, let journal = before.0, let plan = before.1, after.0 == journal, after.1 == plan {
            let tally = RunTally(
                run: directory.path,
                journal: journal,
                plan: plan,
                jobs: row.jobs,
                done: row.done,
                failed: row.failed,
                lastResult: snapshot.state.lastResult?.rawValue,
                starts: snapshot.state.starts,
                platform: snapshot.state.platform,
                started: snapshot.started
            )
            try? FileManager.default.createDirectory(
                atPath: Self.directory(stateDirectory: stateDirectory),
                withIntermediateDirectories: true
            )
            try? AtomicFile.write(try AtomicFile.encodeJSON(tally), to: file, syncsDirectory: false)
        }
        return row
    }

    /// The row this tally gives, with the plan read without its nodes.
    func row(directory: RunDirectory, plan: Plan) -> RunRow {
        RunRow(
            runID: directory.runID.rawValue,
            workflow: plan.source,
            directory: directory.path,
            baseDirectory: plan.baseDirectory,
            platform: RunsCommand.platform(recorded: platform, plan: plan),
            standing: RunSnapshot.standing(isRunning: false, lastResult: lastResult, starts: starts),
            jobs: jobs,
            done: done,
            failed: failed,
            started: started
        )
    }
}

extension RunRow {
    /// The row of a whole run.
    ///
    /// - Parameters:
    ///   - run: The run.
    ///   - jobs: Its jobs' standings, when worked out already (``RunSnapshot/jobs``).
    init(_ run: RunSnapshot, jobs: [(node: PlanNode, standing: NodeStanding)]? = nil) {
        let jobs = jobs ?? run.jobs
        self.init(
            runID: run.runID.rawValue,
            workflow: run.plan.source,
            directory: run.directory.path,
            baseDirectory: run.plan.baseDirectory,
            platform: RunsCommand.platform(run),
            standing: run.standing,
            jobs: jobs.count,
            done: jobs.filter { $0.standing == .done }.count,
            failed: jobs.filter { $0.standing == .failed }.count,
            started: run.started
        )
    }
}

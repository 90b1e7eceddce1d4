import InterlinkCore
import Synchronization

/// The jobs the platform already holds for this run's create keys, listed once when a run resumes and kept for
/// the run: a create step adopts the job of its key instead of creating a second one, even when the journal lost
/// the records of that create (a tail cut off, not only a torn last line).
final class ExistingJobs: Sendable {
    private let jobs = Mutex<[IdempotencyKey: JobID]>([:])
    private let resumed = Mutex(false)

    /// Whether this run continues an earlier journal, whose last records may have been lost: a submit then
    /// reads the job's status before submitting.
    var isResumedRun: Bool { resumed.withLock { $0 } }

    /// Marks the run as resumed.
    func markResumed() { resumed.withLock { $0 = true } }

    /// Creates an empty cache (a new run, whose keys cannot exist on the platform yet).
    init() {}

    /// Records what the listing found.
    func remember(_ found: [IdempotencyKey: JobID]) {
        jobs.withLock { $0.merge(found) { first, _ in first } }
    }

    /// The job a create with this key made, if the listing found one.
    func job(for key: IdempotencyKey) -> JobID? {
        jobs.withLock { $0[key] }
    }

    /// The create keys of a plan's job nodes whose create has not succeeded in the journal: the key an open
    /// intent recorded, else the one the create step will use.
    static func pendingCreateKeys(of plan: Plan, state: RunState, run: RunID) -> Set<IdempotencyKey> {
        var keys: Set<IdempotencyKey> = []
        let step = StepRef(.create)
        for node in plan.jobs where node.stages.contains(.create) {
            let prior = state.nodes[node.id]?[step]
            if prior?.isSucceeded == true { continue }
            keys.insert(prior?.key ?? step.idempotencyKey(run: run, node: node.id, content: node.contentHash))
        }
        return keys
    }
}

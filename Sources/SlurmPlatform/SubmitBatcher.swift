import Foundation
import InterlinkCore

/// Collects the submissions of one group (the jobs of one sweep with the same resources) that arrive together, so
/// that they go as one `sbatch --array`.
///
/// The first submission of a group opens a batch and leads it: it waits until no other joined for
/// ``quiet``, or ``window`` after it opened, or the batch holds ``limit`` jobs, then closes the batch and sends it
/// (the platform's `send`), and hands each member its Slurm id. Every member's intent was journaled by the engine
/// before it joined, so a crash at any point leaves each member an open intent to reconcile.
actor SubmitBatcher {
    /// One job waiting in a batch.
    struct Member: Sendable {
        /// The job's marker.
        var marker: String
        /// The latest time its request may be on the wire (the engine's bound), if any.
        var sendBy: Date?
    }

    /// Sends a closed batch: the Slurm id of each member, by marker.
    typealias Send = @Sendable (_ members: [Member]) async throws -> [String: String]

    private struct Batch {
        var members: [Member]
        var waiters: [String: CheckedContinuation<String, any Error>] = [:]
        var opened: ContinuousClock.Instant
        var lastJoin: ContinuousClock.Instant
    }

    /// How long a batch waits for another job before it is sent.
    let quiet: Duration
    /// The longest a batch stays open.
    let window: Duration
    private var batches: [UUID: Batch] = [:]
    private var open: [String: UUID] = [:]

    /// Creates a batcher.
    ///
    /// - Parameters:
    ///   - quiet: How long a batch waits for another job before it is sent.
    ///   - window: The longest a batch stays open.
    init(quiet: Duration, window: Duration) {
        self.quiet = quiet
        self.window = window
    }

    /// Submits one job with the others of its group that arrive meanwhile.
    ///
    /// - Parameters:
    ///   - member: The job.
    ///   - group: Its group: jobs of different groups never share a batch.
    ///   - limit: The most jobs in one batch (the cluster's `MaxArraySize`).
    ///   - send: Sends a closed batch (called by the batch's first job, once).
    /// - Returns: The job's Slurm id.
    /// - Throws: What `send` threw, for every member of the batch; `CancellationError` when the leader was
    ///   cancelled before it sent.
    func submit(_ member: Member, group: String, limit: Int, send: Send) async throws -> String {
        let now = ContinuousClock.now
        if let id = open[group], var batch = batches[id], batch.members.count < max(limit, 1) {
            batch.members.append(member)
            batch.lastJoin = now
            batches[id] = batch
            if batch.members.count >= limit { open[group] = nil }
            return try await withCheckedThrowingContinuation { batches[id]?.waiters[member.marker] = $0 }
        }
        let id = UUID()
        batches[id] = Batch(members: [member], opened: now, lastJoin: now)
        open[group] = id
        do {
            while open[group] == id, let batch = batches[id] {
                let now = ContinuousClock.now
                if now >= batch.lastJoin + quiet || now >= batch.opened + window { break }
                try await Task.sleep(for: .milliseconds(20))
            }
        } catch {
            finish(id, group: group, with: .failure(error))
            throw error
        }
        if open[group] == id { open[group] = nil }
        let members = batches[id]?.members ?? [member]
        do {
            let ids = try await send(members)
            finish(id, group: group, with: .success(ids))
            guard let own = ids[member.marker] else { throw Self.missing(member.marker) }
            return own
        } catch {
            finish(id, group: group, with: .failure(error))
            throw error
        }
    }

    /// Hands every waiting member of a batch its id (or the error), and forgets the batch.
    private func finish(_ id: UUID, group: String, with result: Result<[String: String], any Error>) {
        if open[group] == id { open[group] = nil }
        guard let batch = batches.removeValue(forKey: id) else { return }
        for (marker, waiter) in batch.waiters {
            switch result {
            case .success(let ids):
                if let own = ids[marker] {
                    waiter.resume(returning: own)
                } else {
                    waiter.resume(throwing: Self.missing(marker))
                }
            case .failure(let error):
                waiter.resume(throwing: error)
            }
        }
    }

    private static func missing(_ marker: String) -> PlatformError {
        PlatformError(.transport("the array submission did not place job \(marker)"), retryClass: .needsReconcile)
    }
}

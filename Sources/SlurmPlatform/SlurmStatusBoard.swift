import Foundation
import InterlinkCore

/// Job states for every job of the run from one `squeue` call, shared by all status questions asked within
/// ``SlurmConfiguration/snapshotAge``: polling many jobs costs one call per poll, not one per job.
///
/// Concurrent callers that find the snapshot stale wait for the one refresh in flight. Terminal states are kept
/// (they never change); a `FAILED` job's exit code is read once with `scontrol show job`, and a job the controller
/// forgot is looked up in the job-completion log (`sacct -c`).
actor SlurmStatusBoard {
    private let client: SlurmClient
    private let maximumAge: Duration
    private var rows: [String: SlurmJobState] = [:]
    private var byName: [String: [SlurmJobState]] = [:]
    private var taken: ContinuousClock.Instant?
    private var waiters: [CheckedContinuation<Void, any Error>]?
    private var finished: [String: SlurmJobState] = [:]
    /// How many `squeue` calls this board made (for tests and logs).
    private(set) var queueCalls = 0

    init(client: SlurmClient, maximumAge: Duration) {
        self.client = client
        self.maximumAge = maximumAge
    }

    /// Forgets the snapshot, so the next question reads the queue again (after a submission or a cancel).
    func invalidate() { taken = nil }

    /// The job's state, or nil when neither the controller nor the job-completion log knows it.
    ///
    /// - Parameters:
    ///   - id: The Slurm job id (`123`, or `123_4` for an array task).
    ///   - since: When the job was created (bounds the job-completion log search).
    ///   - completionID: The id the job-completion log knows the job by: the job id, or an array task's own job
    ///     id (that log never names `123_4`); nil when unknown, and then the log is not read.
    /// - Returns: The state, or nil.
    /// - Throws: ``PlatformError`` when the controller cannot be reached.
    func state(of id: String, since: Date, completionID: String?) async throws -> SlurmJobState? {
        if let done = finished[id] { return done }
        try await refreshIfStale()
        var found = rows[id]
        if found == nil {
            // Submitted after the snapshot was taken: read the queue again once.
            taken = nil
            try await refreshIfStale()
            found = rows[id]
        }
        if var row = found {
            if row.needsExitCode {
                if let shown = try await client.showJob(id), shown.exitCode != nil {
                    row.exitCode = shown.exitCode
                } else if let completionID,
                    let logged = try await client.completions(ids: [completionID], since: since).first(where: {
                        $0.id == completionID
                    })
                {
                    row.exitCode = logged.exitCode
                }
            }
            if row.isTerminal { finished[id] = row }
            return row
        }
        guard let completionID,
            var logged = try await client.completions(ids: [completionID], since: since).first(where: {
                $0.id == completionID
            })
        else { return nil }
        logged.id = id
        if logged.isTerminal { finished[id] = logged }
        return logged
    }

    /// The job submitted with this marker (as name and comment), found in the queue, else in the job-completion
    /// log (which keeps no comment, so there the name alone decides); nil when there is none.
    ///
    /// - Parameters:
    ///   - marker: The marker.
    ///   - since: When the job was created.
    /// - Returns: The oldest such job.
    /// - Throws: ``PlatformError`` when the controller cannot be reached.
    func find(marker: String, since: Date) async throws -> SlurmJobState? {
        taken = nil
        try await refreshIfStale()
        let queued = (byName[marker] ?? []).filter { $0.comment == nil || $0.comment == marker }
        if let first = queued.min(by: { Self.order($0.id, $1.id) }) { return first }
        let logged = try await client.completions(ids: [], since: since).filter { $0.name == marker }
        return logged.min(by: { Self.order($0.id, $1.id) })
    }

    /// The array job submitted with this marker (as name and comment) that the controller still knows, by its
    /// array job id; nil when there is none. (The job-completion log names array tasks by their own ids, so it
    /// cannot tell the array's id: a task that started wrote it into its job's directory instead.)
    ///
    /// - Parameter marker: The array's marker.
    /// - Returns: The oldest such array's job id.
    /// - Throws: ``PlatformError`` when the controller cannot be reached.
    func findArray(marker: String) async throws -> String? {
        taken = nil
        try await refreshIfStale()
        let ids = (byName[marker] ?? []).filter { $0.comment == nil || $0.comment == marker }.compactMap {
            ArrayScript.arrayID(of: $0.id)
        }
        return ids.min(by: Self.order)
    }

    /// The jobs of these markers now in the queue, all of them (to check that a marker has one job).
    func jobs(named marker: String) async throws -> [SlurmJobState] {
        taken = nil
        try await refreshIfStale()
        return byName[marker] ?? []
    }

    private static func order(_ left: String, _ right: String) -> Bool {
        (Int(left) ?? Int.max, left) < (Int(right) ?? Int.max, right)
    }

    private func refreshIfStale() async throws {
        if let taken, taken.duration(to: .now) < maximumAge { return }
        if waiters != nil {
            try await withCheckedThrowingContinuation { waiters?.append($0) }
            return
        }
        waiters = []
        let started = ContinuousClock.now
        do {
            let listed = try await client.queue()
            queueCalls += 1
            rows = Dictionary(listed.map { ($0.id, $0) }) { _, last in last }
            byName = Dictionary(grouping: listed, by: \.name)
            taken = started
            let waiting = waiters ?? []
            waiters = nil
            for waiter in waiting { waiter.resume() }
        } catch {
            let waiting = waiters ?? []
            waiters = nil
            // A cancelled refresher is its own caller's business: the others see a retryable failure.
            let shared: any Error =
                error is CancellationError ? PlatformError(.transport("the status query was cancelled")) : error
            for waiter in waiting { waiter.resume(throwing: shared) }
            throw error
        }
    }
}

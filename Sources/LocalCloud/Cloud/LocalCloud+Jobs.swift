import Foundation
import InterlinkCore
import InterlinkSystem

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension LocalCloud {
    /// One page of a job's outputs (`GET /api/v2/jobs/{id}/files/`).
    package struct OutputPage: Hashable, Sendable {
        /// Outputs in all pages.
        package var count: Int
        /// The next page number, nil on the last page.
        package var next: Int?
        /// This page's files.
        package var results: [StoredFile]
    }

    /// Saves a job without starting it.
    ///
    /// Like Rescale, every call makes a new job: look up by key first.
    ///
    /// - Returns: The new record.
    /// - Throws: `LocalCloudError.rejected` when an input file does not exist or the body has no analysis.
    package func createJob(_ body: JobDefinition, idempotencyKey: IdempotencyKey) async throws(LocalCloudError)
        -> StoredJob
    {
        guard let analysis = body.jobanalyses.first, !body.name.isEmpty else {
            throw LocalCloudError.rejected("a job needs a name and one analysis")
        }
        for input in analysis.inputFiles where files[input.id] == nil {
            throw LocalCloudError.rejected("input file '\(input.id)' does not exist")
        }
        let record = StoredJob(
            id: JobID(Self.makeID()),
            body: body,
            idempotencyKey: idempotencyKey,
            dateInserted: Date(),
            statuses: [],
            submitCount: 0,
            executionCount: 0,
            restartCount: 0,
            isRunning: false,
            pid: nil,
            outputs: [],
            submitSequence: nil
        )
        try save(record)
        want(record.id)
        try await commit()
        return record
    }

    /// The oldest job created with this key, if any; ``serve()`` then runs it when it waits or was left running.
    package func findJob(idempotencyKey: IdempotencyKey) -> StoredJob? {
        let found = jobs.values.filter { $0.idempotencyKey == idempotencyKey }.min {
            $0.dateInserted < $1.dateInserted
        }
        if let found { want(found.id) }
        return found
    }

    /// The oldest job of each of these keys that has one, from the records in one pass.
    ///
    /// - Parameter keys: Idempotency keys.
    /// - Returns: The job ids by key.
    package func existingJobs(for keys: Set<IdempotencyKey>) -> [IdempotencyKey: JobID] {
        var found: [IdempotencyKey: StoredJob] = [:]
        for job in jobs.values {
            let key = job.idempotencyKey
            guard keys.contains(key) else { continue }
            if let earlier = found[key], earlier.dateInserted <= job.dateInserted { continue }
            found[key] = job
        }
        return found.mapValues(\.id)
    }

    /// Submits a job: it becomes `Pending` and ``serve()`` picks it up.
    ///
    /// A second submit is counted and ignored.
    ///
    /// - Throws: `LocalCloudError.notFound`.
    package func submit(_ id: JobID) async throws(LocalCloudError) {
        want(id)
        let sequence = nextSequence
        var sequenced = false
        try update(id) { record in
            record.submitCount += 1
            if record.statuses.isEmpty {
                record.statuses.append(StatusEntry(status: .pending, date: Date()))
                record.submitSequence = sequence
                sequenced = true
            }
        }
        if sequenced { nextSequence += 1 }
        try await commit()
    }

    /// Stops a job (`POST /api/v3/jobs/{id}/stop/`): its process group, when it has one, gets SIGTERM, and the
    /// job ends `Stopped` at once, so ``serve()`` never starts or restarts it.
    ///
    /// A job already in a terminal status is left as it is.
    ///
    /// - Throws: `LocalCloudError.notFound`.
    package func stop(_ id: JobID) async throws(LocalCloudError) {
        let record = try job(id)
        guard !record.status.isTerminal else { return }
        // Only the job's own process group: a pid whose start time differs was reused by another process.
        if let pid = record.pid, pid > 0,
            ProcessIdentity(pid: pid, startTime: record.processStartTime ?? 0).isRunning
        {
            _ = kill(-pid, SIGTERM)
        }
        try update(id) {
            $0.isRunning = false
            $0.pid = nil
            $0.statuses.append(StatusEntry(status: .stopped(reason: "Stopped by user"), date: Date()))
        }
        try await commit()
    }

    /// A job's record.
    ///
    /// - Throws: `LocalCloudError.notFound`.
    package func jobRecord(_ id: JobID) throws(LocalCloudError) -> StoredJob { try job(id) }

    /// A job's current status, read afresh; ``serve()`` then runs the job when it waits or was left running.
    ///
    /// - Throws: `LocalCloudError.notFound`.
    package func status(of id: JobID) throws(LocalCloudError) -> JobStatus {
        let status = try job(id).status
        want(id)
        return status
    }

    /// One page of a job's outputs; pages are numbered from 1.
    ///
    /// - Throws: `LocalCloudError.notFound`.
    package func outputs(of id: JobID, page: Int, pageSize: Int) throws(LocalCloudError) -> OutputPage {
        let all = try job(id).outputs.compactMap { try? file($0) }
        let size = max(pageSize, 1)
        let start = min(max(page - 1, 0) * size, all.count)
        let end = min(start + size, all.count)
        return OutputPage(count: all.count, next: end < all.count ? page + 1 : nil, results: Array(all[start..<end]))
    }

    /// Every job record.
    package var allJobs: [StoredJob] { Array(jobs.values) }

    /// Jobs created with a key (more than one means a duplicate create).
    package func createCount(idempotencyKey: IdempotencyKey) -> Int {
        jobs.values.count { $0.idempotencyKey == idempotencyKey }
    }

    /// Submit calls received for the jobs created with a key.
    package func submitCount(idempotencyKey: IdempotencyKey) -> Int {
        jobs.values.filter { $0.idempotencyKey == idempotencyKey }.reduce(0) { $0 + $1.submitCount }
    }

    /// Appends a status unless it repeats the current one.
    func append(_ status: JobStatus, to id: JobID) throws(LocalCloudError) {
        try update(id) { record in
            guard record.status != status else { return }
            record.statuses.append(StatusEntry(status: status, date: Date()))
        }
    }

    /// Reads a record afresh, changes it and saves it, under the records lock (other instances may share the root).
    ///
    /// A change that leaves the record as it was writes nothing (a status the job already has, say).
    func update(_ id: JobID, _ change: (inout StoredJob) -> Void) throws(LocalCloudError) {
        try withRecordsLock { () throws(LocalCloudError) in
            let current = try job(id)
            var record = current
            change(&record)
            if record != current { try save(record) }
        }
    }
}

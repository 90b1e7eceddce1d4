import Foundation
import InterlinkCore

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
    package func createJob(_ body: JobDefinition, idempotencyKey: IdempotencyKey) throws(LocalCloudError) -> StoredJob {
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
        return record
    }

    /// The oldest job created with this key, if any.
    package func findJob(idempotencyKey: IdempotencyKey) -> StoredJob? {
        jobs.values.filter { $0.idempotencyKey == idempotencyKey }.min { $0.dateInserted < $1.dateInserted }
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
    package func submit(_ id: JobID) throws(LocalCloudError) {
        var record = try job(id)
        record.submitCount += 1
        if record.statuses.isEmpty {
            record.statuses.append(StatusEntry(status: .pending, date: Date()))
            record.submitSequence = nextSequence
            nextSequence += 1
        }
        try save(record)
    }

    /// A job's record.
    ///
    /// - Throws: `LocalCloudError.notFound`.
    package func jobRecord(_ id: JobID) throws(LocalCloudError) -> StoredJob { try job(id) }

    /// A job's current status.
    ///
    /// - Throws: `LocalCloudError.notFound`.
    package func status(of id: JobID) throws(LocalCloudError) -> JobStatus { try job(id).status }

    /// One page of a job's outputs; pages are numbered from 1.
    ///
    /// - Throws: `LocalCloudError.notFound`.
    package func outputs(of id: JobID, page: Int, pageSize: Int) throws(LocalCloudError) -> OutputPage {
        let all = try job(id).outputs.compactMap { files[$0] }
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
        var record = try job(id)
        guard record.status != status else { return }
        record.statuses.append(StatusEntry(status: status, date: Date()))
        try save(record)
    }

    /// Updates a record in place and saves it.
    func update(_ id: JobID, _ change: (inout StoredJob) -> Void) throws(LocalCloudError) {
        var record = try job(id)
        change(&record)
        try save(record)
    }
}

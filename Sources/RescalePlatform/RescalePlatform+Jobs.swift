import Foundation
import InterlinkCore
import RescaleAPI

extension RescalePlatform {
    /// Creates the job once (never retried on anything but 429), then tags it and assigns its project.
    ///
    /// The name ends with the key's marker; after any doubt (timeout, connection loss, 5xx) the job is looked up
    /// with ``findJob(idempotencyKey:)`` and adopted, and only when it is not there does the error go back to the
    /// engine as `needs-reconcile`.
    package func createJob(_ request: JobRequest) async throws -> JobID {
        let marker = Self.marker(for: request.idempotencyKey)
        let body = try JobBody.make(for: request, name: "\(request.name) \(marker)")
        let job: JobID
        do {
            job = JobID(try await api.createJob(body, deadline: options.requestTimeout).id)
        } catch let error as PlatformError where error.retryClass == .needsReconcile {
            try await settle(after: error)
            guard let found = try await findJob(idempotencyKey: request.idempotencyKey) else { throw error }
            logger.debug("rescale.create.adopted", metadata: ["rescale.job_id": "\(found)"])
            job = found
        }
        // The job exists: its tags and project are finished even when a stop comes meanwhile (a stop would end
        // their retry waits and leave the job without them, as the step reports it created).
        await StopSignal.$current.withValue(nil) {
            await applyTags(request.spec.tags, to: job)
            if let project = request.spec.projectID, !project.isEmpty {
                await assign(project: project, organization: request.spec.orgCode, to: job)
            }
        }
        return job
    }

    /// Finds the job whose name carries this key's marker among the most recent jobs.
    package func findJob(idempotencyKey: IdempotencyKey) async throws -> JobID? {
        let marker = Self.marker(for: idempotencyKey)
        var pages = 0
        let limit = options.findJobPages
        let jobs = try await api.recentJobs { page in
            pages += 1
            return pages >= limit || page.contains { $0.name?.hasSuffix(marker) == true }
        }
        return jobs.first { $0.name?.hasSuffix(marker) == true }.map { JobID($0.id) }
    }

    /// Finds every job carrying this key's marker (the page with the newest one and the page after it), keeps the
    /// submitted one (else the oldest), and deletes the unsubmitted others.
    ///
    /// Two jobs for one key mean a create sent before a crash landed after its run was resumed; the one kept is
    /// the one work may already depend on.
    package func adoptJob(idempotencyKey: IdempotencyKey) async throws -> AdoptedJob? {
        let marker = Self.marker(for: idempotencyKey)
        var pages = 0
        var foundOn: Int?
        let limit = options.findJobPages
        let jobs = try await api.recentJobs { page in
            pages += 1
            if foundOn == nil, page.contains(where: { $0.name?.hasSuffix(marker) == true }) { foundOn = pages }
            return pages >= limit || foundOn.map { pages > $0 } == true
        }
        // Newest first, so the last is the oldest.
        let marked = jobs.filter { $0.name?.hasSuffix(marker) == true }
        guard let oldest = marked.last else { return nil }
        let submitted = marked.filter { record in
            record.jobStatus?.content.map { !$0.isEmpty && $0.lowercased() != "not submitted" } == true
        }
        let kept = submitted.last ?? oldest
        var removed: [JobID] = []
        for job in marked where job.id != kept.id && !submitted.contains(job) {
            try await api.deleteJob(job.id)
            removed.append(JobID(job.id))
        }
        if marked.count > 1 {
            logger.warning(
                "rescale.create.duplicates",
                metadata: [
                    "rescale.job_id": "\(kept.id)", "rescale.removed": "\(removed.map(\.rawValue))",
                    "rescale.submitted": "\(submitted.count)",
                ]
            )
        }
        return AdoptedJob(job: JobID(kept.id), removedDuplicates: removed)
    }

    /// The jobs whose names carry these keys' markers, from one paged listing of the newest jobs.
    ///
    /// Pages are read until every marker is found or the listing has gone `findJobPages` pages (plus one page for
    /// every 100 keys) back: a run's jobs are among the newest.
    package func existingJobs(for keys: Set<IdempotencyKey>) async throws -> [IdempotencyKey: JobID] {
        guard !keys.isEmpty else { return [:] }
        var wanted: [String: IdempotencyKey] = [:]
        for key in keys { wanted[Self.marker(for: key)] = key }
        var found: [IdempotencyKey: JobID] = [:]
        var pages = 0
        let limit = options.findJobPages + keys.count / 100
        _ = try await api.recentJobs { page in
            pages += 1
            for job in page {
                guard let name = job.name, let key = Self.markedKey(of: name, in: wanted) else { continue }
                // Newest first: an older job with the same marker replaces a newer one (the first create wins).
                found[key] = JobID(job.id)
            }
            return pages >= limit || found.count == wanted.count
        }
        logger.debug(
            "rescale.jobs.listed",
            metadata: ["rescale.pages": "\(pages)", "rescale.keys": "\(keys.count)", "rescale.found": "\(found.count)"]
        )
        return found
    }

    /// The key whose marker ends a job's name, if any.
    private static func markedKey(of name: String, in wanted: [String: IdempotencyKey]) -> IdempotencyKey? {
        // A marker is `[il-` and 12 hex digits and `]`: 17 characters at the end of the name.
        wanted[String(name.suffix(17))]
    }

    /// Submits; after any doubt, reads the status and counts a submitted job as success.
    package func submit(_ job: JobID) async throws {
        do {
            try await api.submitJob(job.rawValue, deadline: options.requestTimeout)
        } catch let error as PlatformError where error.retryClass == .needsReconcile {
            try await settle(after: error)
            guard try await status(of: job).isSubmitted else { throw error }
        }
    }

    /// Asks Rescale to stop the job; after any doubt, reads the statuses and counts `Stopping` or a terminal status
    /// as success (the platform spec's reconcile rule for stop).
    package func stop(_ job: JobID) async throws {
        do {
            try await api.stopJob(job.rawValue)
        } catch let error as PlatformError where error.retryClass == .needsReconcile {
            let status = try await status(of: job)
            if case .stopping = status { return }
            guard status.isTerminal else { throw error }
        }
    }

    /// After a create or submit that got no response, waits until the platform can no longer act on it (the
    /// journaled bound plus the settle margin), so that the lookup that follows proves something.
    private func settle(after error: PlatformError) async throws {
        guard case .transport = error.reason, let sendBy = RequestBound.sendBy else { return }
        let left = min(sendBy.timeIntervalSinceNow + options.requestSettle.timeInterval, requestWindowSeconds)
        guard left > 0 else { return }
        logger.debug("rescale.request.settle", metadata: ["delay": "\(left)"])
        try await api.options.clock.sleep(.milliseconds(Int64(left * 1000)))
    }

    /// The longest any settle wait can be.
    private var requestWindowSeconds: Double { (options.requestTimeout + options.requestSettle).timeInterval }

    /// The newest status (`results[0]`, never the last); no entries means not submitted.
    ///
    /// A `Completed` job whose history has `Stopping` with "A run failed" is a failure; one whose history has
    /// `Stopping` with "Stop requested by user" was stopped.
    package func status(of job: JobID) async throws -> JobStatus {
        let entries = try await api.jobStatuses(job.rawValue)
        guard let newest = entries.first else { return .notSubmitted }
        let status = JobStatus(platformStatus: newest.status, reason: newest.statusReason)
        if case .completed(.failure) = status { return status }
        if case .completed = status,
            entries.contains(where: { $0.status == "Stopping" && $0.statusReason == "Stop requested by user" })
        {
            return .stopped(reason: newest.statusReason ?? "Stopped by user")
        }
        if case .completed = status,
            entries.contains(where: { $0.status == "Stopping" && $0.statusReason == "A run failed" })
        {
            return .completed(.failure(reason: "A run failed"))
        }
        return status
    }

    /// Applies tags one request each (the create body's `tags` is ignored); a failure is reconciled by
    /// reading the tags and adding only the missing ones once more, then logged, never fatal to the job.
    private func applyTags(_ tags: [String], to job: JobID) async {
        for tag in tags {
            do {
                try await api.addJobTag(job.rawValue, tag)
            } catch {
                let present = (try? await api.jobTags(job.rawValue)) ?? []
                if present.contains(tag) { continue }
                do {
                    try await api.addJobTag(job.rawValue, tag)
                } catch {
                    logger.warning("rescale.tag.failed", metadata: ["rescale.job_id": "\(job)", "tag": "\(tag)"])
                }
            }
        }
    }

    /// Project assignment: three tries, 2 s then 4 s apart; a failure is logged, not fatal.
    private func assign(project: String, organization: String?, to job: JobID) async {
        let code: String?
        if let organization, !organization.isEmpty {
            code = organization
        } else {
            code = try? await session.currentProfile().company?.code
        }
        guard let code else { return }
        for attempt in 1...3 {
            do {
                try await api.assignProject(project, job: job.rawValue, organization: code)
                return
            } catch {
                if attempt == 3 { break }
                try? await api.options.clock.sleep(.seconds(2 * attempt))
            }
        }
        logger.warning("rescale.project.failed", metadata: ["rescale.job_id": "\(job)", "project": "\(project)"])
    }
}

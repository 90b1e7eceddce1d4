import Foundation
import InterlinkCore
import InterlinkSystem
import InterlinkTransfer
import LocalCloud

extension SlurmPlatform {
    package func createJob(_ request: JobRequest) async throws -> JobID {
        let marker = SlurmLayout.marker(for: request.idempotencyKey)
        if await RecordFile.read(SlurmJobRecord.self, at: layout.jobRecord(marker)) == nil {
            let spec = request.spec
            let record = SlurmJobRecord(
                name: request.name,
                idempotencyKey: request.idempotencyKey,
                command: spec.command,
                environment: spec.environment,
                coresPerSlot: spec.hardware.coresPerSlot,
                slots: max(spec.hardware.slots, 1),
                minutes: BatchScript.minutes(hours: spec.hardware.walltime.hours),
                inputs: request.inputFiles,
                created: Date()
            )
            try await RecordFile.write(record, to: layout.jobRecord(marker))
        }
        return JobID(marker)
    }

    package func findJob(idempotencyKey: IdempotencyKey) async throws -> JobID? {
        let marker = SlurmLayout.marker(for: idempotencyKey)
        let exists = await Blocking.run { [layout] in FileManager.default.fileExists(atPath: layout.jobRecord(marker)) }
        return exists ? JobID(marker) : nil
    }

    package func existingJobs(for keys: Set<IdempotencyKey>) async throws -> [IdempotencyKey: JobID] {
        var found: [IdempotencyKey: JobID] = [:]
        for key in keys {
            if let job = try await findJob(idempotencyKey: key) { found[key] = job }
        }
        return found
    }

    package func submit(_ job: JobID) async throws {
        let marker = job.rawValue
        guard let record = await RecordFile.read(SlurmJobRecord.self, at: layout.jobRecord(marker)) else {
            throw PlatformError(.notFound(marker))
        }
        // Idempotent: a job already submitted (recorded, or found by its marker) is never submitted again. A job
        // this process created and never submitted cannot be on the cluster: no lookup then.
        let mayExist = record.created < attempts.started || attempts.contains(marker)
        if try await slurmID(of: marker, record: record, lookUp: mayExist) != nil { return }
        if let sendBy = RequestBound.sendBy, Date() >= sendBy {
            throw PlatformError(.transport("the submission's time window has passed"), retryClass: .needsReconcile)
        }
        let script = BatchScript(
            marker: marker,
            name: record.name,
            command: record.command,
            environment: record.environment,
            jobDirectory: layout.job(marker),
            workDirectory: layout.work(marker),
            minutes: record.minutes,
            tasks: record.slots,
            cpusPerTask: record.coresPerSlot
        )
        try await prepareWorkDirectory(marker, record: record, script: script)
        try await pacer.waitForSlot()
        attempts.note(marker)
        var timeout = configuration.submitTimeout
        if let sendBy = RequestBound.sendBy {
            let left = sendBy.timeIntervalSinceNow
            guard left > 0 else {
                throw PlatformError(.transport("the submission's time window has passed"), retryClass: .needsReconcile)
            }
            timeout = min(timeout, .milliseconds(Int64(left * 1000)))
        }
        let output = try await client.run(
            "sbatch",
            script.arguments(settings: configuration.settings) + [layout.script(marker)],
            timeout: timeout,
            retryClass: .needsReconcile
        )
        let id = output.stdout.split(separator: "\n").last.map { String($0.split(separator: ";")[0]) } ?? ""
        guard !id.isEmpty, id.allSatisfy({ $0.isNumber }) else {
            throw PlatformError(
                .server(status: 0, message: "sbatch answered '\(output.stdout)' instead of a job id"),
                retryClass: .needsReconcile
            )
        }
        try await RecordFile.writeText(id + "\n", to: layout.slurmID(marker))
        await board.invalidate()
        logger.debug("slurm.job.submitted", metadata: ["slurm.marker": "\(marker)", "slurm.job_id": "\(id)"])
    }

    /// Makes the work directory afresh, places the inputs, records their stamps and writes the batch script.
    private func prepareWorkDirectory(_ marker: String, record: SlurmJobRecord, script: BatchScript) async throws {
        var inputs: [(StagedFileRecord, Bool)] = []
        for input in record.inputs {
            guard let file = await RecordFile.read(StagedFileRecord.self, at: layout.fileRecord(input.id)) else {
                throw PlatformError(
                    .notFound("input file \(input.id) (only inputs staged by this platform can be used on Slurm)")
                )
            }
            inputs.append((file, input.decompress))
        }
        let (work, placedPath, scriptPath, text) = (
            layout.work(marker), layout.placed(marker), layout.script(marker), script.text
        )
        let staged = inputs
        let placed = try await Blocking.run { () throws -> [String: FileStamp] in
            try? FileManager.default.removeItem(atPath: work)
            try Self.makeDirectory(work)
            for (file, decompress) in staged { try Staging.place(file, decompress: decompress, into: work) }
            return OutputListing.stamps(in: work)
        }
        try await RecordFile.write(placed, to: placedPath)
        try await RecordFile.writeText(text, to: scriptPath)
    }

    /// The job's Slurm id: recorded, else found by its marker (and then recorded); nil when it was never submitted.
    func slurmID(of marker: String, record: SlurmJobRecord, lookUp: Bool = true) async throws -> String? {
        if let recorded = await RecordFile.readText(layout.slurmID(marker))?.split(separator: "\n").first {
            return String(recorded)
        }
        guard lookUp else { return nil }
        let since = record.created.addingTimeInterval(-60)
        guard let found = try await board.find(marker: marker, since: since) else { return nil }
        logger.debug(
            "slurm.job.found_by_marker",
            metadata: ["slurm.marker": "\(marker)", "slurm.job_id": "\(found.id)"]
        )
        try await RecordFile.writeText(found.id + "\n", to: layout.slurmID(marker))
        return found.id
    }

    package func status(of job: JobID) async throws -> JobStatus {
        let marker = job.rawValue
        guard let record = await RecordFile.read(SlurmJobRecord.self, at: layout.jobRecord(marker)) else {
            throw PlatformError(.notFound(marker))
        }
        let mayExist = record.created < attempts.started || attempts.contains(marker)
        guard let id = try await slurmID(of: marker, record: record, lookUp: mayExist) else { return .notSubmitted }
        guard let state = try await board.state(of: id, since: record.created.addingTimeInterval(-60)) else {
            return .unknown("slurm job \(id) is known neither to squeue nor to the job-completion log")
        }
        return state.status
    }

    package func stop(_ job: JobID) async throws {
        let marker = job.rawValue
        guard let record = await RecordFile.read(SlurmJobRecord.self, at: layout.jobRecord(marker)),
            let id = try await slurmID(of: marker, record: record)
        else { return }
        try await client.cancel([id])
        await board.invalidate()
    }

    /// The Slurm jobs in the queue that carry this job's marker (a test checks that there is exactly one).
    package func queuedJobs(of job: JobID) async throws -> [SlurmJobState] {
        try await board.jobs(named: job.rawValue)
    }
}

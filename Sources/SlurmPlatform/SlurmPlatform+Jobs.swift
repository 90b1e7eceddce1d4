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
                created: Date(),
                group: spec.origin.map { origin in
                    "\(origin.file):\(origin.line):\(origin.column ?? 0)"
                }
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
        let sendBy = RequestBound.sendBy
        try Self.checkWindow(sendBy)
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
        if configuration.settings.sendsArrays, let group = record.group {
            let limit = try await arrayLimit()
            if limit > 1 {
                let key = "\(group)|\(record.minutes)|\(record.slots)|\(record.coresPerSlot)"
                let id = try await batcher.submit(
                    SubmitBatcher.Member(marker: marker, sendBy: sendBy),
                    group: key,
                    limit: limit
                ) { members in try await sendArray(members, record: record) }
                logger.debug("slurm.job.submitted", metadata: ["slurm.marker": "\(marker)", "slurm.job_id": "\(id)"])
                return
            }
        }
        try await sendAlone(marker, arguments: script.arguments(settings: configuration.settings), sendBy: sendBy)
    }

    /// Throws when the engine's bound for sending has passed: the submission is then reconciled, never sent late.
    static func checkWindow(_ sendBy: Date?) throws {
        if let sendBy, Date() >= sendBy {
            throw PlatformError(.transport("the submission's time window has passed"), retryClass: .needsReconcile)
        }
    }

    /// The deadline of an `sbatch` that must be sent by `sendBy`.
    func sbatchTimeout(sendBy: Date?) throws -> Duration {
        guard let sendBy else { return configuration.submitTimeout }
        let left = sendBy.timeIntervalSinceNow
        guard left > 0 else {
            throw PlatformError(.transport("the submission's time window has passed"), retryClass: .needsReconcile)
        }
        return min(configuration.submitTimeout, .milliseconds(Int64(left * 1000)))
    }

    /// Runs `sbatch --parsable` and reads the job id it printed.
    func sbatch(_ arguments: [String], timeout: Duration) async throws -> String {
        let output = try await client.run("sbatch", arguments, timeout: timeout, retryClass: .needsReconcile)
        let id = output.stdout.split(separator: "\n").last.map { String($0.split(separator: ";")[0]) } ?? ""
        guard !id.isEmpty, id.allSatisfy({ $0.isNumber }) else {
            throw PlatformError(
                .server(status: 0, message: "sbatch answered '\(output.stdout)' instead of a job id"),
                retryClass: .needsReconcile
            )
        }
        return id
    }

    /// Sends one job with its own `sbatch` and records its id.
    func sendAlone(_ marker: String, arguments: [String], sendBy: Date?) async throws {
        // A place in an array that was never sent (a lookup found none) no longer holds.
        try? await Blocking.run { [layout] in try FileManager.default.removeItem(atPath: layout.membership(marker)) }
        try await pacer.waitForSlot()
        attempts.note(marker)
        attempts.countCall()
        let id = try await sbatch(arguments + [layout.script(marker)], timeout: try sbatchTimeout(sendBy: sendBy))
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
    ///
    /// A job placed in an array is looked for as the array's task first: the id the task wrote when it started,
    /// else the array found by its marker in the queue and the job's index.
    func slurmID(of marker: String, record: SlurmJobRecord, lookUp: Bool = true) async throws -> String? {
        if let recorded = await RecordFile.readText(layout.slurmID(marker))?.split(separator: "\n").first {
            return String(recorded)
        }
        guard lookUp else { return nil }
        var found: String?
        if let membership = await RecordFile.read(ArrayMembership.self, at: layout.membership(marker)) {
            if let task = await taskIDs(of: marker) {
                found = task.id
            } else if let array = try await board.findArray(marker: membership.array) {
                found = "\(array)_\(membership.index)"
            }
        }
        if found == nil {
            found = try await board.find(marker: marker, since: record.created.addingTimeInterval(-60))?.id
        }
        guard let found else { return nil }
        logger.debug("slurm.job.found_by_marker", metadata: ["slurm.marker": "\(marker)", "slurm.job_id": "\(found)"])
        try await RecordFile.writeText(found + "\n", to: layout.slurmID(marker))
        return found
    }

    /// The ids an array task wrote when it started: `A_I` and its own job id.
    func taskIDs(of marker: String) async -> (id: String, own: String)? {
        guard let text = await RecordFile.readText(layout.task(marker)) else { return nil }
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
        guard words.count >= 2, ArrayScript.arrayID(of: words[0]) != nil else { return nil }
        return (words[0], words[1])
    }

    package func status(of job: JobID) async throws -> JobStatus {
        let marker = job.rawValue
        guard let record = await RecordFile.read(SlurmJobRecord.self, at: layout.jobRecord(marker)) else {
            throw PlatformError(.notFound(marker))
        }
        let mayExist = record.created < attempts.started || attempts.contains(marker)
        guard let id = try await slurmID(of: marker, record: record, lookUp: mayExist) else { return .notSubmitted }
        let isTask = ArrayScript.arrayID(of: id) != nil
        let completionID = isTask ? await taskIDs(of: marker)?.own : id
        guard
            let state = try await board.state(
                of: id,
                since: record.created.addingTimeInterval(-60),
                completionID: completionID
            )
        else {
            // A task cancelled while it was pending leaves no trace in Slurm: the cancel was recorded.
            if isTask, await RecordFile.readText(layout.cancelled(marker)) != nil {
                return .stopped(reason: "CANCELLED")
            }
            return .unknown("slurm job \(id) is known neither to squeue nor to the job-completion log")
        }
        return state.status
    }

    package func stop(_ job: JobID) async throws {
        let marker = job.rawValue
        guard let record = await RecordFile.read(SlurmJobRecord.self, at: layout.jobRecord(marker)),
            let id = try await slurmID(of: marker, record: record)
        else { return }
        if ArrayScript.arrayID(of: id) != nil {
            // Written first: a task cancelled while pending leaves no trace in Slurm, so this is how it is known.
            try await RecordFile.writeText(id + "\n", to: layout.cancelled(marker))
        }
        try await client.cancel([id])
        await board.invalidate()
    }

    /// The Slurm jobs in the queue that carry this job's marker (a test checks that there is exactly one).
    package func queuedJobs(of job: JobID) async throws -> [SlurmJobState] {
        try await board.jobs(named: job.rawValue)
    }
}

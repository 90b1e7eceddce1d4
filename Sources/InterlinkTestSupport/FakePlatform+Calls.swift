import InterlinkCore

extension FakePlatform {
    package func prepareStorage() async throws {
        if try await enter(.prepareStorage) { throw lost(.prepareStorage) }
    }

    package func upload(
        _ upload: PlannedUpload,
        idempotencyKey: IdempotencyKey,
        resumingFrom checkpoint: UploadCheckpoint?,
        progress: @escaping @Sendable (TransferProgress) async throws -> Void
    ) async throws -> UploadedObject {
        let loses = try await enter(.upload)
        let partSize: Int64 = max(upload.bytes / Int64(partsPerUpload), 1)
        let resumed = checkpoint.flatMap { Self.decode($0.payload) }
        let path = resumed?.path ?? "objects/\(idempotencyKey)/\(count(.upload))"
        var done = resumed?.parts ?? 0
        while done < partsPerUpload {
            try Task.checkCancellation()
            done += 1
            partsSent[idempotencyKey, default: 0] += 1
            let committed = partSize * Int64(done)
            let checkpoint = UploadCheckpoint(payload: "\(path)|\(done)", committedBytes: committed)
            try await progress(
                TransferProgress(bytes: committed, totalBytes: partSize * Int64(partsPerUpload), checkpoint: checkpoint)
            )
        }
        let object = UploadedObject(
            name: upload.name,
            storagePath: path,
            plaintextBytes: upload.bytes,
            sha512: "sha-\(upload.name)"
        )
        objects[path] = object
        if loses { throw lost(.upload) }
        return object
    }

    package func registerFile(_ object: UploadedObject, idempotencyKey: IdempotencyKey) async throws -> FileID {
        let loses = try await enter(.registerFile)
        let id = FileID("file-\(files.count + 1)")
        files[id] = (object, idempotencyKey)
        if loses { throw lost(.registerFile) }
        return id
    }

    package func findFile(for object: UploadedObject, idempotencyKey: IdempotencyKey) async throws -> FileID? {
        if try await enter(.findFile) { throw lost(.findFile) }
        return files.first { $0.value.key == idempotencyKey && $0.value.object.storagePath == object.storagePath }?.key
    }

    package func createJob(_ request: JobRequest) async throws -> JobID {
        let loses = try await enter(.createJob)
        let id = JobID("job-\(jobs.count + 1)")
        jobs.append(Job(id: id, request: request))
        if loses { throw lost(.createJob) }
        return id
    }

    package func findJob(idempotencyKey: IdempotencyKey) async throws -> JobID? {
        if try await enter(.findJob) { throw lost(.findJob) }
        return jobs.first { $0.request.idempotencyKey == idempotencyKey }?.id
    }

    package func existingJobs(for keys: Set<IdempotencyKey>) async throws -> [IdempotencyKey: JobID] {
        if try await enter(.existingJobs) { throw lost(.existingJobs) }
        var found: [IdempotencyKey: JobID] = [:]
        for job in jobs where keys.contains(job.request.idempotencyKey) && found[job.request.idempotencyKey] == nil {
            found[job.request.idempotencyKey] = job.id
        }
        return found
    }

    package func submit(_ job: JobID) async throws {
        let loses = try await enter(.submit)
        guard let index = jobs.firstIndex(where: { $0.id == job }) else { throw PlatformError(.notFound("\(job)")) }
        jobs[index].submissions += 1
        if loses { throw lost(.submit) }
    }

    package func status(of job: JobID) async throws -> JobStatus {
        if try await enter(.status) { throw lost(.status) }
        guard let index = jobs.firstIndex(where: { $0.id == job }) else { throw PlatformError(.notFound("\(job)")) }
        guard jobs[index].submissions > 0 else { return .notSubmitted }
        if jobs[index].isStopped { return .stopped(reason: "Stopped by user") }
        let step = jobs[index].polls
        jobs[index].polls += 1
        if step < progression.count { return progression[step] }
        return endings[jobs[index].request.name] ?? .completed(.success)
    }

    package func stop(_ job: JobID) async throws {
        let loses = try await enter(.stop)
        guard let index = jobs.firstIndex(where: { $0.id == job }) else { throw PlatformError(.notFound("\(job)")) }
        jobs[index].isStopped = true
        if loses { throw lost(.stop) }
    }

    package func listOutputs(of job: JobID) async throws -> [RemoteOutput] {
        if try await enter(.listOutputs) { throw lost(.listOutputs) }
        guard let found = jobs.first(where: { $0.id == job }) else { throw PlatformError(.notFound("\(job)")) }
        let outputs = Self.outputs(forJobNamed: found.request.name, id: job)
        guard let claimedOutputBytes else { return outputs }
        return outputs.map { output in
            var output = output
            output.bytes = claimedOutputBytes
            return output
        }
    }

    package func download(
        _ output: RemoteOutput,
        to path: String,
        progress: @escaping @Sendable (TransferProgress) async throws -> Void
    ) async throws -> DownloadedFile {
        let loses = try await enter(.download)
        try await progress(TransferProgress(bytes: output.bytes, totalBytes: output.bytes))
        let file = DownloadedFile(path: path, bytes: output.bytes, sha512: output.sha512 ?? "")
        disk[path] = file
        downloadCounts[path, default: 0] += 1
        if loses { throw lost(.download) }
        return file
    }

    package func verifyDownload(_ output: RemoteOutput, at path: String) async throws -> DownloadedFile? {
        if try await enter(.verifyDownload) { throw lost(.verifyDownload) }
        guard let file = disk[path], file.bytes == output.bytes, output.sha512 == nil || file.sha512 == output.sha512
        else {
            return nil
        }
        return file
    }

    private static func decode(_ payload: String) -> (path: String, parts: Int)? {
        let pieces = payload.split(separator: "|")
        guard pieces.count == 2, let parts = Int(pieces[1]) else { return nil }
        return (String(pieces[0]), parts)
    }
}

import InterlinkCore
import LocalCloud

/// The embedded platform over a cloud opened at the first call that needs it (``LocalCloudOpener``): a run whose
/// jobs are all done, outputs in place, never reads the cloud's records.
///
/// Each call is ``LocalPlatform``'s. A cloud that cannot be opened fails the call that opened it, and every later
/// one, as a fatal platform error naming the problem.
package struct LazyLocalPlatform: Platform {
    package var target: String { "local" }

    /// Opens the cloud.
    package let opener: LocalCloudOpener
    /// Where archive inputs are listed.
    package let fileSystem: any FileSystem

    /// Creates the platform.
    ///
    /// - Parameters:
    ///   - opener: Opens the cloud; the caller runs its ``LocalCloud/serve()`` once it is opened.
    ///   - fileSystem: Where archive inputs are listed (the CLI passes the real one).
    package init(opener: LocalCloudOpener, fileSystem: any FileSystem) {
        self.opener = opener
        self.fileSystem = fileSystem
    }

    /// The platform over the opened cloud.
    ///
    /// - Throws: A fatal ``PlatformError`` when the cloud cannot be opened: the opener keeps its failure, so a
    ///   retry would meet it again.
    private func platform() async throws -> LocalPlatform {
        do {
            return LocalPlatform(cloud: try await opener.cloud(), fileSystem: fileSystem)
        } catch let error as LocalCloudError {
            throw PlatformError(.storage("cannot open the local platform: \(error.description)"), retryClass: .fatal)
        }
    }

    package func prepareStorage() async throws {}

    package func upload(
        _ upload: PlannedUpload,
        idempotencyKey: IdempotencyKey,
        resumingFrom checkpoint: UploadCheckpoint?,
        progress: @escaping @Sendable (TransferProgress) async throws -> Void
    ) async throws -> UploadedObject {
        try await platform().upload(
            upload,
            idempotencyKey: idempotencyKey,
            resumingFrom: checkpoint,
            progress: progress
        )
    }

    package func registerFile(_ object: UploadedObject, idempotencyKey: IdempotencyKey) async throws -> FileID {
        try await platform().registerFile(object, idempotencyKey: idempotencyKey)
    }

    package func findFile(for object: UploadedObject, idempotencyKey: IdempotencyKey) async throws -> FileID? {
        try await platform().findFile(for: object, idempotencyKey: idempotencyKey)
    }

    package func createJob(_ request: JobRequest) async throws -> JobID {
        try await platform().createJob(request)
    }

    package func findJob(idempotencyKey: IdempotencyKey) async throws -> JobID? {
        try await platform().findJob(idempotencyKey: idempotencyKey)
    }

    package func existingJobs(for keys: Set<IdempotencyKey>) async throws -> [IdempotencyKey: JobID] {
        try await platform().existingJobs(for: keys)
    }

    package func submit(_ job: JobID) async throws {
        try await platform().submit(job)
    }

    package func status(of job: JobID) async throws -> JobStatus {
        try await platform().status(of: job)
    }

    package func waitForEnd(of job: JobID, upTo limit: Duration) async throws -> JobStatus? {
        try await platform().waitForEnd(of: job, upTo: limit)
    }

    package func stop(_ job: JobID) async throws {
        try await platform().stop(job)
    }

    package func listOutputs(of job: JobID) async throws -> [RemoteOutput] {
        try await platform().listOutputs(of: job)
    }

    package func download(
        _ output: RemoteOutput,
        to path: String,
        progress: @escaping @Sendable (TransferProgress) async throws -> Void
    ) async throws -> DownloadedFile {
        try await platform().download(output, to: path, progress: progress)
    }

    /// Checks a file already in place against the output's size and SHA-512: no cloud needed.
    package func verifyDownload(_ output: RemoteOutput, at path: String) async throws -> DownloadedFile? {
        await LocalPlatform.verifyInPlace(output, at: path)
    }
}

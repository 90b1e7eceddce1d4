/// The port the engine drives: everything it needs from a place that runs jobs (the embedded local platform or
/// Rescale).
///
/// Every method may throw ``PlatformError`` (any other error is treated as fatal, `CancellationError` as
/// cancellation). Implementations are safe to call concurrently and must honour task cancellation. Side effects
/// that cannot be repeated safely (register, create, submit) take an ``IdempotencyKey`` the platform stores with
/// what it creates, so that the matching `find…` method can tell after a lost response or a crash whether the call
/// took effect. The engine journals an intent before each call and reconciles with these lookups on resume.
package protocol Platform: Sendable {
    /// Which platform this is, as the journal records it: `local`, or `rescale ` and the API base URL. A run's
    /// remote ids only mean something there, so a run started on one target is never continued on another.
    /// Never includes credentials.
    var target: String { get }

    /// Makes storage ready for uploads (discovers the default storage, obtains temporary credentials). Safe to
    /// call again; the engine calls it once per run before the first transfer.
    func prepareStorage() async throws

    /// Streams one planned upload to storage: archive (tar, compression), encrypt, checksum and upload as one
    /// pipeline, never a whole file in memory.
    ///
    /// - Parameters:
    ///   - upload: What to upload.
    ///   - idempotencyKey: The upload's key, the same on every attempt.
    ///   - checkpoint: The last checkpoint the platform reported for this key, to continue from; nil starts over.
    ///     A platform that cannot continue from it (expired multipart upload, changed source) starts over.
    ///   - progress: Called with bytes moved and, whenever more data is durably stored, a new checkpoint. The
    ///     engine journals checkpoints before returning, so the platform should report them at part boundaries,
    ///     not per buffer. If the callback throws, the upload stops with that error.
    /// - Returns: The stored object, ready for ``registerFile(_:idempotencyKey:)``.
    /// - Throws: ``PlatformError``; a storage failure is retryable and continues from the last checkpoint.
    func upload(
        _ upload: PlannedUpload,
        idempotencyKey: IdempotencyKey,
        resumingFrom checkpoint: UploadCheckpoint?,
        progress: @escaping @Sendable (TransferProgress) async throws -> Void
    ) async throws -> UploadedObject

    /// Registers an uploaded object as a platform file (retry class: reconcile).
    func registerFile(_ object: UploadedObject, idempotencyKey: IdempotencyKey) async throws -> FileID

    /// Finds the file a registration with this key (and object) created, if it exists.
    func findFile(for object: UploadedObject, idempotencyKey: IdempotencyKey) async throws -> FileID?

    /// Creates a job without starting it (retry class: once; never repeated blindly).
    func createJob(_ request: JobRequest) async throws -> JobID

    /// Finds the job a create with this key made, if it exists.
    func findJob(idempotencyKey: IdempotencyKey) async throws -> JobID?

    /// Finds the job a create with this key made, as reconciliation after a crash does: when more than one job
    /// carries the key's marker, keeps the submitted one (else the oldest) and deletes the unsubmitted extras.
    func adoptJob(idempotencyKey: IdempotencyKey) async throws -> AdoptedJob?

    /// How long a create or submit request sent by this process can still be acted on; nil when no request
    /// can outlive the process (the embedded platform).
    var requestWindow: RequestWindow? { get }

    /// Whether the platform paces its own submissions and may send the submissions of jobs that reach it together
    /// as one request (Slurm job arrays): the engine then holds no API permit around a submit, so that a sweep's
    /// jobs can be waiting in the platform at the same time. Each job's intent is still journaled before its call.
    var groupsSubmissions: Bool { get }

    /// The jobs that creates with any of these keys made, by key, found with one listing however many keys
    /// (Rescale: one paged listing of the newest jobs; the local platform: its own records).
    ///
    /// A resume asks this once before its first create, so a job whose create a journal cut short never recorded
    /// (a lost tail, not only a torn last line) is adopted instead of created a second time.
    ///
    /// - Parameter keys: The create keys of the run's jobs not yet known to exist.
    /// - Returns: The existing job of each key that has one (the oldest when there are several).
    /// - Throws: ``PlatformError`` when the platform cannot be asked.
    func existingJobs(for keys: Set<IdempotencyKey>) async throws -> [IdempotencyKey: JobID]

    /// Submits a created job (retry class: once; read ``status(of:)`` before trying again).
    func submit(_ job: JobID) async throws

    /// The job's current status; ``JobStatus/notSubmitted`` until it is submitted.
    func status(of job: JobID) async throws -> JobStatus

    /// Waits until the job is terminal or `limit` has passed, whichever comes first, and returns its status then;
    /// nil when the platform cannot be waited on (the engine then sleeps its poll interval and asks
    /// ``status(of:)``).
    ///
    /// A platform that hears of a job's end at once (the embedded one runs the job itself) answers as soon as the
    /// end is durable in its records, so the run neither polls a queued job every interval nor learns of an end one
    /// interval late.
    ///
    /// - Parameters:
    ///   - job: A submitted job.
    ///   - limit: The longest wait; the status is returned then, terminal or not.
    /// - Returns: The job's status, or nil when the platform offers no wait.
    /// - Throws: ``PlatformError``, or `CancellationError` when the task is cancelled.
    func waitForEnd(of job: JobID, upTo limit: Duration) async throws -> JobStatus?

    /// Asks the platform to stop a submitted job (retry class: reconcile; never asked twice blindly).
    ///
    /// Stopping is asynchronous: poll ``status(of:)`` until it is terminal. A job that is already terminal is left
    /// as it is.
    ///
    /// - Throws: ``PlatformError``.
    func stop(_ job: JobID) async throws

    /// The job's result files (all pages).
    func listOutputs(of job: JobID) async throws -> [RemoteOutput]

    /// Downloads one output to `path` (written to a temporary sibling, verified against the output's size and
    /// checksum, then renamed), creating parent directories.
    ///
    /// - Parameters:
    ///   - output: The output to fetch.
    ///   - path: The absolute local path to write.
    ///   - progress: Called with bytes written so far.
    /// - Returns: What was written.
    /// - Throws: ``PlatformError``; ``PlatformError/Reason/verification(_:)`` when size or checksum differ.
    func download(
        _ output: RemoteOutput,
        to path: String,
        progress: @escaping @Sendable (TransferProgress) async throws -> Void
    ) async throws -> DownloadedFile

    /// Whether `path` already holds this output: same size and, when the output has one, same SHA-512.
    func verifyDownload(_ output: RemoteOutput, at path: String) async throws -> DownloadedFile?
}

extension Platform {
    /// ``findJob(idempotencyKey:)``, for platforms that never hold two jobs for one key.
    package func adoptJob(idempotencyKey: IdempotencyKey) async throws -> AdoptedJob? {
        try await findJob(idempotencyKey: idempotencyKey).map { AdoptedJob(job: $0) }
    }

    /// None: no request outlives the process.
    package var requestWindow: RequestWindow? { nil }

    /// No: each submission is its own request, under the run's API permits.
    package var groupsSubmissions: Bool { false }

    /// No wait: the engine polls ``status(of:)`` every poll interval.
    ///
    /// - Parameters:
    ///   - job: A submitted job.
    ///   - limit: The longest wait.
    /// - Returns: Nil.
    /// - Throws: Nothing; the requirement may throw ``PlatformError``.
    package func waitForEnd(of job: JobID, upTo limit: Duration) async throws -> JobStatus? { nil }
}

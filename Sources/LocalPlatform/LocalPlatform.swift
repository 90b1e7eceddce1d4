import Foundation
import InterlinkCore
import InterlinkTransfer
import LocalCloud

/// The embedded default platform: the `Platform` port over a ``LocalCloud`` in this process.
///
/// Uploads stream through ``UploadPartProducer`` in the v2 format straight into the cloud's
/// object store, with a checkpoint after every part; downloads decrypt to a temporary sibling, check size and
/// SHA-512, and rename into place. Registrations and job creates carry the engine's idempotency key, which
/// `findFile` and `findJob` look up.
package struct LocalPlatform: Platform {
    package var target: String { "local" }

    /// The cloud.
    package let cloud: LocalCloud
    /// S for uploads; nil uses ``PartSize`` (16–64 MiB by plaintext size).
    package let partSize: Int?
    /// Outputs per listing page.
    package let pageSize: Int
    /// Where archive inputs are listed.
    package let fileSystem: any FileSystem

    /// Creates the platform.
    ///
    /// - Parameters:
    ///   - cloud: Where files and jobs live; the caller runs its ``LocalCloud/serve()``.
    ///   - fileSystem: Where archive inputs are listed (the CLI passes the real one).
    ///   - partSize: The upload part size S (a multiple of 16); nil picks it from the plaintext size.
    ///   - pageSize: Outputs per listing page.
    package init(cloud: LocalCloud, fileSystem: any FileSystem, partSize: Int? = nil, pageSize: Int = 100) {
        self.cloud = cloud
        self.fileSystem = fileSystem
        self.partSize = partSize
        self.pageSize = max(pageSize, 1)
    }

    package func prepareStorage() async throws {}

    package func registerFile(_ object: UploadedObject, idempotencyKey: IdempotencyKey) async throws -> FileID {
        guard let key = object.attributes[Self.keyAttribute] else {
            throw PlatformError(.rejected(status: 400, message: "the object has no data key"), retryClass: .fatal)
        }
        let registration = LocalCloud.FileRegistration(
            name: object.name,
            objectName: object.storagePath,
            encodedEncryptionKey: key,
            decryptedSize: object.plaintextBytes,
            sha512: object.sha512,
            idempotencyKey: idempotencyKey
        )
        return try await Self.mapping(uncertain: true) { try await cloud.registerFile(registration).id }
    }

    package func findFile(for object: UploadedObject, idempotencyKey: IdempotencyKey) async throws -> FileID? {
        let record = await cloud.findFile(idempotencyKey: idempotencyKey)
        return record.flatMap { $0.pathParts.path == object.storagePath ? $0.id : nil }
    }

    package func createJob(_ request: JobRequest) async throws -> JobID {
        try await Self.mapping(uncertain: true) {
            try await cloud.createJob(JobDefinition(request), idempotencyKey: request.idempotencyKey).id
        }
    }

    package func findJob(idempotencyKey: IdempotencyKey) async throws -> JobID? {
        await cloud.findJob(idempotencyKey: idempotencyKey)?.id
    }

    package func existingJobs(for keys: Set<IdempotencyKey>) async throws -> [IdempotencyKey: JobID] {
        await cloud.existingJobs(for: keys)
    }

    package func submit(_ job: JobID) async throws {
        try await Self.mapping(uncertain: true) { try await cloud.submit(job) }
    }

    package func status(of job: JobID) async throws -> JobStatus {
        try await Self.mapping(uncertain: false) { try await cloud.status(of: job) }
    }

    /// Waits on the embedded cloud, which wakes the wait once the job's end is durable in its records.
    ///
    /// - Parameters:
    ///   - job: A submitted job.
    ///   - limit: The longest wait.
    /// - Returns: The job's status when it ended or when the limit passed.
    /// - Throws: ``PlatformError``, or `CancellationError` when the task was cancelled while it waited.
    package func waitForEnd(of job: JobID, upTo limit: Duration) async throws -> JobStatus? {
        let status = try await Self.mapping(uncertain: false) { try await cloud.waitForEnd(of: job, upTo: limit) }
        try Task.checkCancellation()
        return status
    }

    package func stop(_ job: JobID) async throws {
        try await Self.mapping(uncertain: true) { try await cloud.stop(job) }
    }

    package func listOutputs(of job: JobID) async throws -> [RemoteOutput] {
        var outputs: [RemoteOutput] = []
        var page: Int? = 1
        while let number = page {
            let result = try await Self.mapping(uncertain: false) {
                try await cloud.outputs(of: job, page: number, pageSize: pageSize)
            }
            outputs += result.results.map {
                RemoteOutput(
                    id: $0.id,
                    relativePath: $0.relativePath ?? "",
                    name: $0.name,
                    bytes: $0.decryptedSize,
                    sha512: $0.sha512
                )
            }
            page = result.next
        }
        return outputs
    }

    /// The `UploadedObject.attributes` entry holding the base64 data key.
    static let keyAttribute = "encodedEncryptionKey"

    /// Runs a cloud call, turning its errors into `PlatformError`.
    static func mapping<T>(uncertain: Bool, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as LocalCloudError {
            throw platformError(error, uncertain: uncertain)
        } catch let error as TransferError {
            throw platformError(error)
        }
    }
}

import Foundation
import InterlinkCore

extension RescaleAPIClient {
    /// `GET /api/v3/users/me/`.
    package func profile() async throws -> UserProfile {
        try await get(UserProfile.self, "/api/v3/users/me/")
    }

    /// `GET /api/v3/users/me/folders/`.
    package func rootFolders() async throws -> RootFolders {
        try await get(RootFolders.self, "/api/v3/users/me/folders/")
    }

    /// `POST /api/v3/credentials/`: default storage with no body, or one file's storage.
    ///
    /// - Parameter file: The file whose storage to reach; nil for the default storage.
    /// - Returns: Temporary credentials.
    /// - Throws: `PlatformError` from the call.
    package func storageCredentials(for file: FileRecord? = nil) async throws -> StorageCredentials {
        try await storageCredentials(forFiles: file.map { [$0] } ?? [])
    }

    /// `POST /api/v3/credentials/` for several files on one storage at once: one request whose `paths`
    /// lists every file's `pathParts`.
    ///
    /// Files without both `storage` and `pathParts` are left out of the body; when none is left the request asks
    /// for the default storage (no body).
    ///
    /// - Parameter files: Files on the storage of the first one; the caller groups them by storage.
    /// - Returns: Temporary credentials: for S3 one set of keys for all the paths, for Azure a `paths[]` entry with
    ///   a SAS per path.
    /// - Throws: `PlatformError` from the call.
    package func storageCredentials(forFiles files: [FileRecord]) async throws -> StorageCredentials {
        var body: Data?
        let located = files.compactMap { file in
            file.storage.flatMap { storage in file.pathParts.map { (storage, $0) } }
        }
        if let storage = located.first?.0 {
            struct Body: Encodable {
                var storage: [String: String]
                var paths: [[String: PathParts]]
            }
            body = try encode(
                Body(
                    storage: ["id": storage.id ?? "", "storageType": storage.storageType ?? ""],
                    paths: located.map { ["pathParts": $0.1] }
                )
            )
        }
        let path = "/api/v3/credentials/"
        let response = try await send(APIRequest("POST", path, body: body, retryClass: .safe, accepted: [200, 201]))
        return try decode(StorageCredentials.self, from: response, path: path)
    }

    /// `POST /api/v3/files/` (retry class reconcile).
    package func registerFile(_ registration: FileRegistration) async throws -> FileRecord {
        let path = "/api/v3/files/"
        let request = APIRequest(
            "POST",
            path,
            body: try encode(registration),
            retryClass: .reconcile,
            accepted: [200, 201]
        )
        return try decode(FileRecord.self, from: try await send(request), path: path)
    }

    /// `GET /api/v3/files/{id}/`.
    package func file(_ id: String) async throws -> FileRecord {
        try await get(FileRecord.self, "/api/v3/files/\(Self.segment(id))/")
    }

    /// `GET /api/v3/folders/{id}/contents/`, all pages of 1000.
    package func folderContents(_ id: String) async throws -> [FolderEntry] {
        try await list(FolderEntry.self, "/api/v3/folders/\(Self.segment(id))/contents/?page_size=1000")
    }

    /// `POST /api/v3/folders/{parentId}/` (retry class reconcile: after any doubt, list the parent for the
    /// name).
    ///
    /// - Parameters:
    ///   - name: The new folder's name.
    ///   - parent: The parent folder.
    /// - Returns: The new folder's id.
    /// - Throws: `APIFailure` when the request fails after its retries.
    package func createFolder(named name: String, in parent: String) async throws -> String {
        struct Body: Encodable { var name: String }
        struct Created: Decodable { var id: String }
        let path = "/api/v3/folders/\(Self.segment(parent))/"
        let request = APIRequest(
            "POST",
            path,
            body: try encode(Body(name: name)),
            retryClass: .reconcile,
            accepted: [200, 201]
        )
        return try decode(Created.self, from: try await send(request), path: path).id
    }

    /// `POST /api/v3/jobs/` (retry class once: only 429 is retried).
    ///
    /// - Parameters:
    ///   - body: The job.
    ///   - deadline: The time all attempts may take together.
    /// - Returns: The created job.
    /// - Throws: `PlatformError`.
    package func createJob(_ body: JobCreateBody, deadline: Duration = .seconds(30)) async throws -> JobRecord {
        let path = "/api/v3/jobs/"
        let request = APIRequest(
            "POST",
            path,
            body: try encode(body),
            retryClass: .once,
            deadline: deadline,
            accepted: [200, 201]
        )
        return try decode(JobRecord.self, from: try await send(request), path: path)
    }

    /// `DELETE /api/v3/jobs/{id}/` (safe; a 404 means it is gone already).
    package func deleteJob(_ job: String) async throws {
        _ = try await send(
            APIRequest(
                "DELETE",
                "/api/v3/jobs/\(Self.segment(job))/",
                retryClass: .safe,
                accepted: [200, 202, 204, 404]
            )
        )
    }

    /// `POST /api/v3/jobs/{id}/tags/`, one tag (retry class reconcile).
    package func addJobTag(_ job: String, _ tag: String) async throws {
        let request = APIRequest(
            "POST",
            "/api/v3/jobs/\(Self.segment(job))/tags/",
            body: try encode(TagBody(name: tag)),
            retryClass: .reconcile,
            accepted: [200, 201, 202, 204]
        )
        _ = try await send(request)
    }

    /// `GET /api/v3/jobs/{id}/tags/` (a bare array).
    package func jobTags(_ job: String) async throws -> [String] {
        try await get([TagBody].self, "/api/v3/jobs/\(Self.segment(job))/tags/").map(\.name)
    }

    /// `POST /api/v2/organizations/{code}/jobs/{id}/project-assignment/` (retry class reconcile).
    package func assignProject(_ project: String, job: String, organization: String) async throws {
        let request = APIRequest(
            "POST",
            "/api/v2/organizations/\(Self.segment(organization))/jobs/\(Self.segment(job))/project-assignment/",
            body: try encode(["projectId": project]),
            retryClass: .reconcile
        )
        _ = try await send(request)
    }

    /// `POST /api/v2/jobs/{id}/submit/` (job-submission scope; retry class once).
    ///
    /// - Parameters:
    ///   - job: The job id.
    ///   - deadline: The time all attempts may take together.
    /// - Throws: `PlatformError`.
    package func submitJob(_ job: String, deadline: Duration = .seconds(30)) async throws {
        _ = try await send(
            APIRequest(
                "POST",
                "/api/v2/jobs/\(Self.segment(job))/submit/",
                retryClass: .once,
                deadline: deadline,
                accepted: [200, 201]
            )
        )
    }

    /// `POST /api/v3/jobs/{id}/stop/` (no body; retry class once: the caller reads the statuses before asking again).
    package func stopJob(_ job: String) async throws {
        _ = try await send(
            APIRequest("POST", "/api/v3/jobs/\(Self.segment(job))/stop/", retryClass: .once, accepted: [200, 202, 204])
        )
    }

    /// The first page of `GET /api/v3/jobs/{id}/statuses/`, newest first.
    package func jobStatuses(_ job: String) async throws -> [JobStatusEntry] {
        try await get(Page<JobStatusEntry>.self, "/api/v3/jobs/\(Self.segment(job))/statuses/").results
    }

    /// `GET /api/v3/jobs/?ordering=-dateInserted`, newest first, until `stop` says so.
    package func recentJobs(pageSize: Int = 100, stop: ([JobRecord]) -> Bool) async throws -> [JobRecord] {
        try await list(JobRecord.self, "/api/v3/jobs/?ordering=-dateInserted&page_size=\(pageSize)", stop: stop)
    }

    /// `GET /api/v3/analyses/`, all pages (the catalogue can pass 100 pages: each page has 5 minutes).
    package func analyses() async throws -> [AnalysisRecord] {
        try await list(AnalysisRecord.self, "/api/v3/analyses/?page_size=100")
    }

    /// `GET /api/v3/coretypes/`, all pages, inactive types included.
    package func coreTypes() async throws -> [CoreTypeRecord] {
        try await list(CoreTypeRecord.self, "/api/v3/coretypes/?page_size=100")
    }

    /// `GET /api/v2/jobs/{id}/files/`, all pages (jobs-usage scope).
    package func jobOutputs(_ job: String) async throws -> [FileRecord] {
        try await list(FileRecord.self, "/api/v2/jobs/\(Self.segment(job))/files/?page_size=100")
    }

    /// Percent-encodes an id for use as one path segment.
    static func segment(_ id: String) -> String {
        id.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_.~")))
            ?? id
    }
}

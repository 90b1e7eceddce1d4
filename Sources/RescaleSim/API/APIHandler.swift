import Foundation
import Hummingbird
import InterlinkCore

/// Answers authenticated API calls against the simulator's state and storage.
struct APIHandler: Sendable {
    let configuration: SimConfiguration
    let state: SimState
    let s3: S3Store
    let blobs: BlobStore
    /// The objects behind each storage kind, including an external S3 service.
    let objects: SimObjects
    let sas: ServiceSAS
    /// Where jobs run (`<workRoot>/<job id>/work`), read by the live-file endpoints.
    let workRoot: String
    /// Where submitted job ids go to be run.
    let submissions: AsyncStream<String>.Continuation

    func handle(_ match: APIEndpoint.Match, _ request: AuthenticatedCall) async -> Response {
        do {
            return try await dispatch(match, request)
        } catch let failure as ErrorResponse {
            return failure.response
        } catch {
            return APIReply.detail(.internalServerError, "A server error occurred.")
        }
    }

    private func dispatch(_ match: APIEndpoint.Match, _ request: AuthenticatedCall) async throws -> Response {
        let id = match.ids.first ?? ""
        switch match.endpoint {
        case .usersMe: return try await usersMe(request)
        case .rootFolders: return try await rootFolders(request)
        case .foldersCreate: return try await createFolder(in: id, request)
        case .foldersContents: return try await folderContents(id, request)
        case .foldersDelete: return try await deleteFolder(id, request)
        case .credentials: return try await credentials(request)
        case .filesRegister: return try await registerFile(request)
        case .filesList: return try await listFiles(request)
        case .filesGet: return try await file(id, request)
        case .filesDelete: return try await deleteFile(id, request)
        case .jobsCreate: return try await createJob(request)
        case .jobsList: return try await listJobs(request)
        case .jobsGet: return try await job(id, request)
        case .jobsDelete: return try await deleteJob(id, request)
        case .jobsStatuses: return try await statuses(id, request)
        case .jobsStop: return try await stop(id, request)
        case .jobsTagsList: return try await tags(id, request)
        case .jobsTagsAdd: return try await addTag(id, request)
        case .jobsProject: return try await assignProject(id, company: match.ids.last ?? "", request)
        case .jobsSubmit: return try await submit(id, request)
        case .jobsFiles: return try await outputs(id, request)
        case .coreTypes: return try catalog(SimCatalog.coreTypes, request)
        case .analyses: return try catalog(SimCatalog.analyses, request)
        case .automations: return APIReply.json(.ok, .array(SimCatalog.automations))
        case .jobsRuns: return try await runs(id, request)
        case .jobsRunTail: return try await tail(id, run: match.ids[1], file: match.ids[2], request)
        }
    }

    /// Requires an empty body (endpoints that take none).
    func requireNoBody(_ request: AuthenticatedCall) throws(ErrorResponse) {
        guard request.hasNoBody else { throw ErrorResponse.field("non_field_errors", "this endpoint takes no body") }
    }

    /// The user's default storage object, as `users/me` and file records show it.
    func storage(for user: SimConfiguration.User, origin: String) -> JSONValue {
        configuration.storageRecord(for: user, origin: origin)
    }

    func catalog(_ items: [JSONValue], _ request: AuthenticatedCall) throws -> Response {
        var selected = items
        if let active = request.parameter("isActive") {
            selected = items.filter { $0["isActive"]?.bool == (active == "true") }
        }
        return APIReply.json(.ok, try Pagination.page(selected, for: request))
    }
}

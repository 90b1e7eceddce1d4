import Foundation
import Hummingbird
import InterlinkCore

extension APIHandler {
    /// `POST /api/v2/jobs/{id}/submit/`: counts every accepted submit; only the first starts the job.
    func submit(_ id: String, _ request: AuthenticatedCall) async throws -> Response {
        try requireNoBody(request)
        guard await state.job(id, key: request.user.apiKey) != nil else { throw ErrorResponse.notFound() }
        let updated = await state.update(id) { job in
            job.submitCount += 1
            if job.statuses.isEmpty { job.statuses.append(.init(status: "Pending", reason: "", date: Date())) }
        }
        if updated?.submitCount == 1 { submissions.yield(id) }
        return APIReply.json(.ok, [:])
    }

    /// `GET /api/v3/jobs/{id}/statuses/`: newest first, paginated.
    func statuses(_ id: String, _ request: AuthenticatedCall) async throws -> Response {
        guard let job = await state.job(id, key: request.user.apiKey) else { throw ErrorResponse.notFound() }
        let entries: [JSONValue] = job.statuses.reversed().map { entry in
            [
                "status": .string(entry.status), "statusReason": .string(entry.reason),
                "statusDate": .string(SimIDs.date(entry.date)), "jobId": .string(job.id),
            ]
        }
        return APIReply.json(.ok, try Pagination.page(entries, for: request))
    }

    func stop(_ id: String, _ request: AuthenticatedCall) async throws -> Response {
        try requireNoBody(request)
        guard await state.job(id, key: request.user.apiKey) != nil else { throw ErrorResponse.notFound() }
        await state.update(id) { $0.isStopRequested = true }
        return APIReply.empty(.accepted)
    }

    func tags(_ id: String, _ request: AuthenticatedCall) async throws -> Response {
        guard let job = await state.job(id, key: request.user.apiKey) else { throw ErrorResponse.notFound() }
        return APIReply.json(
            .ok,
            .array(job.tags.map { ["name": .string($0), "normalizedName": .string($0.lowercased())] })
        )
    }

    /// One tag per request; adding a tag the job already has changes nothing.
    func addTag(_ id: String, _ request: AuthenticatedCall) async throws -> Response {
        let body = try request.json(matching: .object(["name": (.nonEmptyString, true)]))
        guard await state.job(id, key: request.user.apiKey) != nil else { throw ErrorResponse.notFound() }
        let name = body["name"]?.string ?? ""
        await state.update(id) { job in if !job.tags.contains(name) { job.tags.append(name) } }
        return APIReply.json(.created, ["name": .string(name), "normalizedName": .string(name.lowercased())])
    }

    func assignProject(_ id: String, company: String, _ request: AuthenticatedCall) async throws -> Response {
        let body = try request.json(matching: .object(["projectId": (.nonEmptyString, true)]))
        guard company == "simco", await state.job(id, key: request.user.apiKey) != nil else {
            throw ErrorResponse.notFound()
        }
        await state.update(id) { $0.projectID = body["projectId"]?.string }
        return APIReply.json(.ok, ["projectId": body["projectId"] ?? .null])
    }

    /// `GET /api/v2/jobs/{id}/files/`: the job's outputs, paginated, with `search`.
    func outputs(_ id: String, _ request: AuthenticatedCall) async throws -> Response {
        let key = request.user.apiKey
        guard let job = await state.job(id, key: key) else { throw ErrorResponse.notFound() }
        var records: [JSONValue] = []
        for fileID in job.outputIDs {
            if let file = await state.file(fileID, key: key) { records.append(file.record) }
        }
        if let search = request.parameter("search") {
            records = records.filter { $0["name"]?.string?.localizedCaseInsensitiveContains(search) == true }
        }
        return APIReply.json(.ok, try Pagination.page(records, for: request))
    }
}

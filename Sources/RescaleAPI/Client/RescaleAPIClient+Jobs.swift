import Foundation
import InterlinkCore

extension RescaleAPIClient {
    /// `GET /api/v3/jobs/?ordering=-dateInserted`: the newest jobs as the platform sends them, newest first.
    ///
    /// - Parameters:
    ///   - limit: The most records returned; nil reads every page.
    ///   - matching: Keeps only the records it accepts (the pages are read until `limit` of them are kept).
    /// - Returns: The kept records, raw.
    /// - Throws: `PlatformError` from the calls.
    package func jobRecords(limit: Int?, matching: @escaping @Sendable (JSONValue) -> Bool = { _ in true })
        async throws -> [JSONValue]
    {
        let pageSize = min(max(limit ?? 100, 10), 100)
        var kept = 0
        let all = try await list(JSONValue.self, "/api/v3/jobs/?ordering=-dateInserted&page_size=\(pageSize)") {
            page in
            kept += page.filter(matching).count
            return limit.map { kept >= $0 } ?? false
        }
        let selected = all.filter(matching)
        return limit.map { Array(selected.prefix($0)) } ?? selected
    }

    /// `GET /api/v3/jobs/{id}/`: one job as the platform sends it (without its status).
    package func jobRecord(_ id: String) async throws -> JSONValue {
        try await get(JSONValue.self, "/api/v3/jobs/\(Self.segment(id))/")
    }

    /// `POST /api/v3/jobs/` with a body given as JSON text (a job file in Interlink's form); retry class once.
    ///
    /// - Parameter body: The create body, sent as written.
    /// - Returns: The created job's record.
    /// - Throws: `PlatformError`; a 400 carries the platform's field errors.
    package func createJob(body: Data) async throws -> JSONValue {
        let path = "/api/v3/jobs/"
        let request = APIRequest("POST", path, body: body, retryClass: .once, accepted: [200, 201])
        return try decode(JSONValue.self, from: try await send(request), path: path)
    }

    /// `GET /api/v2/jobs/{id}/files/`, all pages, raw (jobs-usage scope).
    package func jobOutputRecords(_ id: String) async throws -> [JSONValue] {
        try await list(JSONValue.self, "/api/v2/jobs/\(Self.segment(id))/files/?page_size=100")
    }

    /// `GET /api/v2/jobs/{id}/runs/` (jobs-usage scope): the runs, oldest first; a run with `dateStarted` and no
    /// `dateCompleted` is active.
    ///
    /// - Returns: The runs, or nil when the platform has no runs endpoint for this job (404 or 405).
    /// - Throws: `PlatformError` for any other failure.
    package func jobRuns(_ id: String) async throws -> [JSONValue]? {
        let path = "/api/v2/jobs/\(Self.segment(id))/runs/"
        let response = try await send(APIRequest("GET", path, retryClass: .safe, accepted: [200, 404, 405]))
        guard response.status == 200 else { return nil }
        return try decode(Page<JSONValue>.self, from: response, path: path).results
    }

    /// `GET /api/v2/jobs/{id}/runs/{run}/tail/{path}/?lines=N`: the last lines of a live file of a running job.
    ///
    /// - Parameters:
    ///   - id: The job.
    ///   - run: The run id.
    ///   - file: The file's path in the run's working directory.
    ///   - lines: How many lines from the end.
    /// - Returns: The lines, or nil when the file is not there (404).
    /// - Throws: `PlatformError` for any other failure.
    package func tail(job id: String, run: String, file: String, lines: Int) async throws -> [String]? {
        struct Tail: Decodable { var lines: [String]? }
        let encoded = file.split(separator: "/").map { Self.segment(String($0)) }.joined(separator: "/")
        let path = "/api/v2/jobs/\(Self.segment(id))/runs/\(Self.segment(run))/tail/\(encoded)/?lines=\(lines)"
        let response = try await send(APIRequest("GET", path, retryClass: .safe, accepted: [200, 404]))
        guard response.status == 200 else { return nil }
        return try decode(Tail.self, from: response, path: path).lines ?? []
    }
}

import Foundation
import Hummingbird
import InterlinkCore

extension APIHandler {
    /// `GET /api/v2/jobs/{id}/runs/`: one run (id `1`) once the job has started; `dateCompleted` is set once the
    /// job has its terminal status, and is null while it runs.
    func runs(_ id: String, _ request: AuthenticatedCall) async throws -> Response {
        guard let job = await state.job(id, key: request.user.apiKey) else { throw ErrorResponse.notFound() }
        var runs: [JSONValue] = []
        if let started = job.statuses.first(where: { $0.status == "Started" }) {
            let completed = job.current?.status == "Completed" ? job.current?.date : nil
            runs.append([
                "id": "1", "dateStarted": .string(SimIDs.date(started.date)),
                "dateCompleted": completed.map { .string(SimIDs.date($0)) } ?? .null,
            ])
        }
        return APIReply.json(.ok, try Pagination.page(runs, for: request))
    }

    /// `GET /api/v2/jobs/{id}/runs/{run}/tail/{path}/?lines=N`: the last lines of a file in the working directory
    /// of an active run; 404 when the run is not active, the file is not there or the path leaves the directory.
    func tail(_ id: String, run: String, file: String, _ request: AuthenticatedCall) async throws -> Response {
        guard let job = await state.job(id, key: request.user.apiKey) else { throw ErrorResponse.notFound() }
        let lineCount = request.parameter("lines").map { Int($0) } ?? 10
        guard let lineCount, lineCount > 0, lineCount <= 10_000 else {
            throw ErrorResponse.field("lines", "a whole number from 1 to 10000")
        }
        let isActive = job.statuses.contains { $0.status == "Started" } && job.current?.status != "Completed"
        let parts = file.split(separator: "/", omittingEmptySubsequences: true)
        guard run == "1", isActive, !parts.isEmpty, !parts.contains(where: { $0 == ".." || $0 == "." }) else {
            throw ErrorResponse.notFound()
        }
        let path = workRoot + "/" + id + "/work/" + parts.joined(separator: "/")
        // Only the end of the file is read: a tail never needs more than its last MiB.
        guard let handle = FileHandle(forReadingAtPath: path) else { throw ErrorResponse.notFound() }
        defer { try? handle.close() }
        let size = try handle.seekToEnd()
        try handle.seek(toOffset: size > 1 << 20 ? size - (1 << 20) : 0)
        let data = try handle.readToEnd() ?? Data()
        var lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        return APIReply.json(
            .ok,
            ["fileType": "text", "lines": .array(lines.suffix(lineCount).map { .string(String($0)) })]
        )
    }
}

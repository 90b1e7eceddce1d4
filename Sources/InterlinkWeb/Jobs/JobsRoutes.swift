import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The Jobs tab's JSON routes under `/api/jobs`: the account's Rescale jobs (paged on the server, filtered by
/// status, searched by name), a job's details, stop, delete, its live log as server-sent events, and the
/// download of its outputs.
package struct JobsRoutes: WebRouteGroup {
    /// The time between two looks at a followed log.
    package var logInterval: Duration

    /// Creates the group.
    ///
    /// - Parameter logInterval: The time between two looks at a followed log (2 s by default, as `jobs tail -f`).
    package init(logInterval: Duration = .seconds(2)) {
        self.logInterval = logInterval
    }

    package func register(on router: Router<WebContext>, services: WebServices) {
        let board = TransferBoard { transfer in services.publish(FilesService.event(transfer)) }
        let jobs = JobsService(services: services, board: board)
        let interval = logInterval
        let group = router.group("api/jobs")
        group.get { request, _ in
            let query = request.uri.queryParameters
            let text = { (name: String) in query[name[...]].map(String.init).flatMap { $0.isEmpty ? nil : $0 } }
            return WebReply.json(
                try await jobs.table(
                    page: text("page").flatMap { Int($0) } ?? 1,
                    size: text("pageSize").flatMap { Int($0) } ?? 25,
                    status: text("status"),
                    search: text("search")
                )
            )
        }
        group.get("transfers") { _, _ in WebReply.json(board.transfers) }
        group.get(":id") { _, context in
            WebReply.json(try await jobs.details(try context.parameters.require("id")))
        }
        group.post(":id/stop") { _, context in
            WebReply.json(try await jobs.stop(try context.parameters.require("id")))
        }
        group.post(":id/delete") { _, context in
            let id = try context.parameters.require("id")
            try await jobs.delete(id)
            return WebReply.json(["deleted": id])
        }
        group.post(":id/download") { request, context in
            let id = try context.parameters.require("id")
            let body = try await WebReply.decode(PathBody.self, from: request)
            return WebReply.json(try await jobs.downloadOutputs(id, into: body.path))
        }
        group.get(":id/log") { request, context in
            let id = try context.parameters.require("id")
            let lines = request.uri.queryParameters["lines"].flatMap { Int($0) }.map { min(max($0, 1), 1000) } ?? 200
            var fields = HTTPFields()
            fields[.contentType] = "text/event-stream"
            fields[.cacheControl] = "no-store"
            return Response(
                status: .ok,
                headers: fields,
                body: ResponseBody { writer in
                    try await jobs.followLog(id, lines: lines, interval: interval) { event, data in
                        try await writer.write(ByteBuffer(string: Self.serverSentEvent(event, data)))
                    }
                    try await writer.finish(nil)
                }
            )
        }
    }

    /// One server-sent event: `event: NAME` and its data, a JSON array of strings.
    ///
    /// - Parameters:
    ///   - event: The event name.
    ///   - data: The strings.
    /// - Returns: The event's text, ending with the blank line.
    static func serverSentEvent(_ event: String, _ data: [String]) -> String {
        let json = (try? WebReply.encoder.encode(data)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
        return "event: \(event)\ndata: \(json)\n\n"
    }
}

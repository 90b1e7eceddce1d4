import Foundation
import HTTPTypes
import Hummingbird

/// The Activity tab's API: the live event stream as server-sent events, and the kept events as JSON.
///
/// - `GET /api/events?after=SEQ` (or `Last-Event-ID`): `text/event-stream`, one `data:` line of a ``WebEvent``
///   per event with its `seq` as `id:`, kept events after SEQ first (without either, only events from now on); a
///   comment every 15 s keeps proxies and the browser from timing out and lets the server notice a closed page
/// - `GET /api/activity?after=SEQ`: `{"events": […]}`, the kept events after SEQ
struct ActivityRoutes: WebRouteGroup {
    func register(on router: Router<WebContext>, services: WebServices) {
        router.get("/api/activity") { request, _ in
            let after = request.uri.queryParameters.get("after", as: Int.self) ?? 0
            return WebReply.json(["events": services.events.events(after: after)])
        }
        router.get("/api/events") { request, _ in
            // Without `after` or `Last-Event-ID` (a page's first connection) the stream starts with the next
            // event: a page loads what it needs through the JSON API, not by replaying the kept events.
            let after =
                request.uri.queryParameters.get("after", as: Int.self)
                ?? request.headers[values: HTTPField.Name("Last-Event-ID") ?? .accept].first.flatMap { Int($0) }
                ?? services.events.events(after: 0).last?.seq ?? 0
            let events = services.events.subscribe(after: after)
            var fields = HTTPFields()
            fields[.contentType] = "text/event-stream; charset=utf-8"
            fields[.cacheControl] = "no-store"
            return Response(
                status: .ok,
                headers: fields,
                body: ResponseBody { writer in
                    try await Self.stream(events, to: &writer)
                }
            )
        }
    }

    /// Writes events and keep-alive comments until the bus ends or the page goes away.
    static func stream(_ events: AsyncStream<WebEvent>, to writer: inout any ResponseBodyWriter) async throws {
        let (texts, sink) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingNewest(10_000))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await event in events {
                    guard let data = try? WebReply.encoder.encode(event) else { continue }
                    sink.yield("id: \(event.seq)\ndata: \(String(decoding: data, as: UTF8.self))\n\n")
                }
                sink.finish()
            }
            group.addTask {
                while !Task.isCancelled {
                    try await Task.sleep(for: .seconds(15))
                    sink.yield(": keep-alive\n\n")
                }
            }
            try await writer.write(ByteBuffer(string: "retry: 1000\n\n"))
            for await text in texts {
                try await writer.write(ByteBuffer(string: text))
            }
            group.cancelAll()
        }
        try await writer.finish(nil)
    }
}

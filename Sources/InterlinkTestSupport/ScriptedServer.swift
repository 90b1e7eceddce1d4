import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// A logger that drops everything; tests never bootstrap logging.
package let quietLogger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

/// One request the scripted server received.
package struct ReceivedRequest: Sendable {
    /// The method, such as `GET`.
    package var method: String
    /// The path with its query.
    package var path: String
    /// The header fields by canonical name; a repeated field keeps its last value.
    package var headers: [String: String]
    /// The body.
    package var body: Data
}

/// A reply the script gives.
package struct Reply: Sendable {
    /// The HTTP status code.
    package var status: Int
    /// The body, sent as `application/json` unless `headers` says otherwise.
    package var body: String
    /// Extra header fields.
    package var headers: [String: String] = [:]

    /// Creates a reply.
    package init(status: Int, body: String, headers: [String: String] = [:]) {
        self.status = status
        self.body = body
        self.headers = headers
    }

    /// A JSON reply.
    package static func json(_ body: String, status: Int = 200) -> Reply { Reply(status: status, body: body) }
}

/// A small HTTP server on 127.0.0.1 that answers with a script and records every request.
package final class ScriptedServer: Sendable {
    /// Why the server could not serve.
    package struct StartError: Error {}

    private let received = Mutex<[ReceivedRequest]>([])
    private let script: @Sendable (ReceivedRequest, Int) -> Reply

    /// Creates a server that answers with `script`.
    ///
    /// - Parameter script: Gets the request and how many requests came before it with the same method and path.
    package init(_ script: @escaping @Sendable (ReceivedRequest, Int) -> Reply) { self.script = script }

    /// Every request received so far, in order.
    package var requests: [ReceivedRequest] { received.withLock { $0 } }

    /// Serves while `body` runs, then stops.
    ///
    /// - Parameter body: Gets the server's base URL, `http://127.0.0.1:<port>`.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` or the server throws, or `StartError` when the server did not start.
    package func run<T: Sendable>(_ body: (String) async throws -> T) async throws -> T {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            responder: Responder(server: self),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: quietLogger
        )
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService(gracefulShutdownSignals: []) }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw StartError() }
            let result = try await body("http://127.0.0.1:\(port)")
            group.cancelAll()
            while (try? await group.next()) != nil {}
            return result
        }
    }

    private struct Responder: HTTPResponder {
        typealias Context = BasicRequestContext
        let server: ScriptedServer

        func respond(to request: Request, context: Context) async throws -> Response {
            let body = try await request.body.collect(upTo: 16 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let received = ReceivedRequest(
                method: request.method.rawValue,
                path: request.uri.description,
                headers: headers,
                body: Data(body.readableBytesView)
            )
            let count = server.received.withLock { list in
                let before = list.count { $0.path == received.path && $0.method == received.method }
                list.append(received)
                return before
            }
            let reply = server.script(received, count)
            var fields = HTTPFields()
            fields[.contentType] = "application/json"
            for (name, value) in reply.headers {
                if let field = HTTPField.Name(name) { fields[field] = value }
            }
            return Response(
                status: .init(code: reply.status),
                headers: fields,
                body: .init(byteBuffer: ByteBuffer(string: reply.body))
            )
        }
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization
import Testing

extension Tag {
    @Tag static var integration: Self
}

/// A logger that drops everything; tests never bootstrap logging.
let quietLogger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

/// One request the scripted server received.
struct ReceivedRequest: Sendable {
    var method: String
    var path: String
    var headers: [String: String]
    var body: Data
}

/// A reply the script gives.
struct Reply: Sendable {
    var status: Int
    var body: String
    var headers: [String: String] = [:]

    static func json(_ body: String, status: Int = 200) -> Reply { Reply(status: status, body: body) }
}

/// A small HTTP server on 127.0.0.1 that answers with a script and records every request.
final class ScriptedServer: Sendable {
    let received = Mutex<[ReceivedRequest]>([])
    let script: @Sendable (ReceivedRequest, Int) -> Reply

    /// - Parameter script: Gets the request and how many requests came before it on the same path.
    init(_ script: @escaping @Sendable (ReceivedRequest, Int) -> Reply) { self.script = script }

    var requests: [ReceivedRequest] { received.withLock { $0 } }

    func run<T: Sendable>(_ body: (String) async throws -> T) async throws -> T {
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
            let port = try #require(await iterator.next())
            let result = try await body("http://127.0.0.1:\(port)")
            group.cancelAll()
            while (try? await group.next()) != nil {}
            return result
        }
    }

    struct Responder: HTTPResponder {
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

import Foundation
import InterlinkHTTP
import InterlinkWeb
import Logging
import NIOCore
import NIOHTTP1
import RescaleAPI
import RescalePlatform

/// A real `rescale-int ui` server on 127.0.0.1 with an empty run catalog, and an HTTP client that follows no
/// redirects, for tests of the server's rules over real HTTP.
struct WebHarness {
    /// One reply.
    struct Reply {
        var status: Int
        var headers: HTTPHeaders
        var body: String
    }

    /// No runs.
    struct NoRuns: WebRunCatalog {
        func runs(in directory: String) async -> [WebRunSummary] { [] }
        func run(_ id: String, in directory: String, page: WebPage) async throws -> WebRunDetail {
            throw WebError(.notFound("no run '\(id)'"))
        }
    }

    /// A connection that is never used.
    struct NoConnection: WebConnection {
        var summary: WebConnectionSummary {
            WebConnectionSummary(apiURL: "https://platform.rescale.com", maskedKey: nil, profile: nil)
        }
        func withAPI<T: Sendable>(_ body: (RescaleAPIClient, RescalePlatform) async throws -> T) async throws -> T {
            throw WebError(.failed("no connection in tests", platform: true))
        }
    }

    /// `http://127.0.0.1:PORT`.
    var base: String
    /// The URL with the one-time token.
    var login: String
    /// The port.
    var port: Int
    /// The server's services (to publish events).
    var services: WebServices
    /// The client.
    var client: HTTPClient

    /// Starts a server on a temporary directory and runs `body` against it.
    ///
    /// - Parameters:
    ///   - connection: The Rescale connection (none by default).
    ///   - environment: The environment of the commands the server starts (where Setup reads and writes).
    ///   - prepare: Fills the study directory before the server starts.
    ///   - body: The test.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws, or the server's error when it cannot listen.
    static func with<T: Sendable>(
        connection: any WebConnection = NoConnection(),
        environment: [String: String] = [:],
        prepare: (String) throws -> Void = { _ in },
        _ body: (WebHarness) async throws -> T
    ) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("web-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try prepare(directory)
        let events = WebEventBus()
        let services = WebServices(
            directory: directory,
            runs: NoRuns(),
            connection: connection,
            processes: WebProcesses(
                executable: "/bin/false",
                environment: environment,
                directory: directory,
                events: events
            ),
            events: events
        )
        var logger = Logger(label: "web-test")
        logger.logLevel = .critical
        let server = WebServer(services: services, logger: logger)
        let client = HTTPClient()
        do {
            let result = try await server.run { base, login in
                let port = Int(base.split(separator: ":").last ?? "") ?? 0
                return try await body(
                    WebHarness(base: base, login: login, port: port, services: services, client: client)
                )
            }
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// Sends a request.
    ///
    /// - Parameters:
    ///   - method: The method.
    ///   - path: The path (or a whole URL).
    ///   - headers: Extra headers (`Cookie`, `Host`, `Origin`).
    ///   - body: A body.
    /// - Returns: The reply.
    /// - Throws: The client's error when the server cannot be reached.
    func call(
        _ method: HTTPMethod,
        _ path: String,
        headers: [(String, String)] = [],
        body: String? = nil
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: path.hasPrefix("http") ? path : base + path)
        request.method = method
        for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await client.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return Reply(status: Int(response.status.code), headers: response.headers, body: String(buffer: bytes))
    }

    /// Exchanges the token and returns the `Cookie` header value of the session.
    func cookie() async throws -> String {
        let reply = try await call(.GET, login)
        let setCookie = reply.headers["Set-Cookie"].first ?? ""
        return String(setCookie.split(separator: ";").first ?? "")
    }
}

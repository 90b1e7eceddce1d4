import Foundation
import InterlinkCore
import InterlinkHTTP
import InterlinkTestSupport
import NIOCore
import NIOHTTP1
import RescaleSim

/// Starts a simulator for one test and makes API calls against it.
struct SimHarness {
    let base: String
    let client: HTTPClient
    let key: String

    struct Reply {
        var status: Int
        var headers: HTTPHeaders
        var body: String
        var json: JSONValue? { JSONValue.parse(Array(body.utf8)) }
    }

    static func with<T: Sendable>(
        _ configuration: SimConfiguration,
        _ body: (SimHarness, SimServer) async throws -> T
    ) async throws -> T {
        let server = SimServer(configuration: configuration)
        let client = HTTPClient()
        do {
            let result = try await server.run(logger: quietLogger) { base in
                try await body(SimHarness(base: base, client: client, key: configuration.users[0].apiKey), server)
            }
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    func call(_ method: HTTPMethod, _ path: String, body: String? = nil, key: String? = nil) async throws -> Reply {
        var request = HTTPClientRequest(url: path.hasPrefix("http") ? path : base + path)
        request.method = method
        if let token = key ?? self.key as String?, !token.isEmpty {
            request.headers.add(name: "Authorization", value: "Token \(token)")
        }
        request.headers.add(name: "Content-Type", value: "application/json")
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await client.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 16 << 20)
        return Reply(status: Int(response.status.code), headers: response.headers, body: String(buffer: bytes))
    }
}

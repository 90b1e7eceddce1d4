import Foundation
import HTTPTypes
import Hummingbird
import InterlinkCore

/// The simulator's single HTTP front, which counts each request by kind and applies faults.
///
/// `/_sim/…` is control, `/api/…` the Rescale API, `/<azureAccount>/…` the blob service, and every other path the
/// S3 subset (path-style).
struct SimResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let configuration: SimConfiguration
    let api: APIHandler
    let s3: S3Responder
    let blob: BlobResponder
    let faults: FaultInjector
    let limits: RequestThrottle
    let control: SimControl
    /// Raised when the server stops: ends the holds of `slow` and `delay` faults.
    let holds: StopSignal

    func respond(to request: Request, context: Context) async throws -> Response {
        var request = request
        let path = request.uri.path
        if path.hasPrefix("/_sim/") { return await control.respond(to: request) }
        let kind: String
        var apiMatch: APIEndpoint.Routing?
        if path.hasPrefix("/api/") {
            let segments = path.dropFirst(5).split(separator: "/").map { SASQuery.decode($0) }
            let routing = APIEndpoint.route(method: request.method.rawValue, segments: segments)
            apiMatch = routing
            if case .matched(let match) = routing { kind = match.endpoint.rawValue } else { kind = "api.unknown" }
        } else if path.split(separator: "/").first.map(String.init) == configuration.azureAccount {
            kind = "azure." + Self.blobOperation(request)
        } else {
            let query = SigV4Verifier.parseQuery(request.uri.query ?? "")
            let hasKey = path.split(separator: "/", maxSplits: 1).count == 2
            kind = "s3." + S3Responder.operation(method: request.method, query: query, hasKey: hasKey)
        }
        if let action = faults.observe(kind, path: path) {
            switch action {
            // A hold ends early when the server stops: a shutdown does not wait it out.
            case .slow(let milliseconds):
                try await holds.sleep(for: .milliseconds(milliseconds), on: ContinuousClock())
            case .delay(let milliseconds):
                // Received in full first: what happens next no longer depends on the client.
                _ = try await request.collectBody(upTo: configuration.maxBodyBytes)
                try await holds.sleep(for: .milliseconds(milliseconds), on: ContinuousClock())
            case .expireCredentials: await control.expireCredentials()
            default: return FaultResponse.make(action, kind: kind, isHead: request.method == .head)
            }
        }
        if let apiMatch { return await serveAPI(request, routing: apiMatch) }
        let response: Response
        if kind.hasPrefix("azure.") {
            if let rejection = await control.revokedSAS(request) { return rejection }
            response = try await blob.respond(to: request, context: context)
        } else {
            response = await s3.respond(to: request, operation: String(kind.dropFirst(3)), context: context)
        }
        if request.method == .get, let length = response.headers[.contentLength].flatMap({ Int($0) }) {
            faults.served(length, for: kind)
        }
        return response
    }

    /// The answer a request gets before its body is read (an S3 upload declaring more than the limit), if any.
    func rejectionBeforeBody(_ request: Request) -> Response? {
        let path = request.uri.path
        guard request.method == .put, !path.hasPrefix("/_sim/"), !path.hasPrefix("/api/"),
            path.split(separator: "/").first.map(String.init) != configuration.azureAccount
        else { return nil }
        let query = SigV4Verifier.parseQuery(request.uri.query ?? "")
        let operation = S3Responder.operation(method: request.method, query: query, hasKey: true)
        return s3.rejectionBeforeBody(request, operation: operation)
    }

    private func serveAPI(_ request: Request, routing: APIEndpoint.Routing) async -> Response {
        let path = request.uri.path
        guard path.hasSuffix("/") else {
            // Django's APPEND_SLASH: a GET is redirected; other methods cannot be, so they fail loudly.
            guard request.method == .get || request.method == .head else {
                return APIReply.detail(.notFound, "Not found.")
            }
            let query = request.uri.query.map { "?\($0)" } ?? ""
            return APIReply.detail(.movedPermanently, "Moved permanently.", headers: ["Location": path + "/" + query])
        }
        guard let header = request.headers[.authorization] else {
            return APIReply.detail(
                .unauthorized,
                "Authentication credentials were not provided.",
                headers: ["WWW-Authenticate": "Token"]
            )
        }
        let parts = header.split(separator: " ", maxSplits: 1).map(String.init)
        guard parts.count == 2, parts[0] == "Token" || parts[0] == "Bearer",
            let user = configuration.user(forKey: parts[1])
        else { return APIReply.detail(.unauthorized, "Invalid token.", headers: ["WWW-Authenticate": "Token"]) }
        let match: APIEndpoint.Match
        switch routing {
        case .matched(let found): match = found
        case .methodNotAllowed:
            return APIReply.detail(.methodNotAllowed, "Method \"\(request.method.rawValue)\" not allowed.")
        case .notFound: return APIReply.detail(.notFound, "Not found.")
        }
        let scope = RequestThrottle.Scope.of(method: request.method.rawValue, path: path)
        switch limits.take(key: user.apiKey, scope: scope) {
        case .throttled(let wait, let limit):
            let seconds = max(1, Int(wait.rounded(.up)))
            return APIReply.detail(
                .tooManyRequests,
                "Request was throttled. Expected available in \(seconds) seconds.",
                headers: [
                    "Retry-After": String(seconds), "X-RequestThrottle-Limit": String(limit),
                    "X-RequestThrottle-Remaining": "0",
                ]
            )
        case .allowed: break
        }
        let body: [UInt8]
        do {
            var buffer = try await request.body.collect(upTo: configuration.maxBodyBytes)
            body = buffer.readBytes(length: buffer.readableBytes) ?? []
        } catch {
            return APIReply.detail(.contentTooLarge, "Request body is too large.")
        }
        let host = request.head.authority ?? "127.0.0.1"
        let apiRequest = AuthenticatedCall(
            method: request.method.rawValue,
            segments: Array(path.dropFirst(5).split(separator: "/").map { SASQuery.decode($0) }),
            query: SigV4Verifier.parseQuery(request.uri.query ?? ""),
            user: user,
            origin: "http://\(host)",
            body: body
        )
        return await api.handle(match, apiRequest)
    }

    static func blobOperation(_ request: Request) -> String {
        let comp = SASQuery.parse(request.uri.query ?? "").first { $0.0 == "comp" }?.1
        switch (request.method, comp) {
        case (.put, "block"): return "PutBlock"
        case (.put, "blocklist"): return "PutBlockList"
        case (.put, _): return "PutBlob"
        case (.head, _): return "GetBlobProperties"
        case (.get, "blocklist"): return "GetBlockList"
        case (.get, _): return "GetBlob"
        default: return "Unsupported"
        }
    }
}

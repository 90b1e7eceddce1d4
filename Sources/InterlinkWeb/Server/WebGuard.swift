import HTTPTypes
import Hummingbird

/// The UI's security rules, applied to every request before any route.
///
/// 1. the Host header must be `127.0.0.1:PORT` or `localhost:PORT`, else 421 (a DNS-rebinding page names its own
///    host);
/// 2. `?token=` with the one-time token sets the session cookie (HttpOnly, SameSite=Strict, Path=/) and redirects
///    to the same URL without the token;
/// 3. a state-changing request (POST, PUT, PATCH, DELETE) needs the cookie and an `Origin` of this server, else
///    403;
/// 4. any other request without the cookie gets 401.
///
/// Every response also forbids framing and foreign scripts (Content-Security-Policy) and sniffing.
struct WebGuard: RouterMiddleware {
    typealias Context = WebContext

    /// The session.
    let session: WebSession
    /// The port the server listens on (known once it listens).
    let bound: BoundPort

    /// The port.
    var port: Int { bound.port }

    /// The cookie's name: one per port, since browsers share cookies across the ports of a host.
    var cookieName: String { "interlink-session-\(port)" }

    func handle(
        _ request: Request,
        context: WebContext,
        next: (Request, WebContext) async throws -> Response
    ) async throws -> Response {
        var response: Response
        do {
            response = try await check(request, context: context, next: next)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        response.headers[.contentSecurityPolicy] =
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
        response.headers[.xContentTypeOptions] = "nosniff"
        if let referrer = HTTPField.Name("Referrer-Policy") { response.headers[referrer] = "no-referrer" }
        return response
    }

    private func check(
        _ request: Request,
        context: WebContext,
        next: (Request, WebContext) async throws -> Response
    ) async throws -> Response {
        let host = request.head.authority ?? ""
        guard allowedOrigins.contains("http://" + host.lowercased()) else {
            return try WebError(.misdirected(host)).response(from: request, context: context)
        }
        let hasCookie = session.accepts(request.cookies[cookieName]?.value)
        if let token = Self.token(in: request.uri.query), request.method == .get {
            guard session.redeem(token) else {
                return try WebError(.unauthenticated).response(from: request, context: context)
            }
            var response = Response(status: .seeOther)
            response.headers[.location] = request.uri.path
            response.setCookie(
                Cookie(name: cookieName, value: session.secret, path: "/", httpOnly: true, sameSite: .strict)
            )
            return response
        }
        if [.post, .put, .patch, .delete].contains(request.method) {
            guard hasCookie, let origin = request.headers[.origin], allowedOrigins.contains(origin.lowercased())
            else {
                return try WebError(.crossOrigin).response(from: request, context: context)
            }
        } else if !hasCookie {
            return try WebError(.unauthenticated).response(from: request, context: context)
        }
        return try await next(request, context)
    }

    /// The origins of this server.
    private var allowedOrigins: Set<String> {
        ["http://127.0.0.1:\(port)", "http://localhost:\(port)"]
    }

    /// The value of `token=` in a query string.
    static func token(in query: String?) -> String? {
        guard let query else { return nil }
        for pair in query.split(separator: "&") where pair.hasPrefix("token=") {
            return String(pair.dropFirst("token=".count))
        }
        return nil
    }
}

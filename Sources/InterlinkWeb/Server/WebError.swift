import Foundation
import HTTPTypes
import Hummingbird
import InterlinkCore

/// A request the UI refuses or cannot serve: an HTTP status and a message the page shows as it is.
///
/// It renders as `{"error": "…"}` with its status; `IL.api` in app.js throws with that text.
package struct WebError: Error, HTTPResponseError, Hashable, Sendable, CustomStringConvertible {
    /// Why the request failed.
    package enum Reason: Hashable, Sendable {
        /// The request has no valid session cookie (401).
        case unauthenticated
        /// A state-changing request without the cookie or a same-origin `Origin` (403).
        case crossOrigin
        /// The Host header names another host (421: DNS rebinding).
        case misdirected(String)
        /// The request is malformed (400).
        case badRequest(String)
        /// Nothing is there (404).
        case notFound(String)
        /// The request conflicts with what is running (409).
        case conflict(String)
        /// A command or the platform failed (502 for the platform, 500 otherwise).
        case failed(String, platform: Bool)
    }

    /// Why.
    package var reason: Reason

    /// Creates an error.
    ///
    /// - Parameter reason: Why.
    package init(_ reason: Reason) { self.reason = reason }

    /// The response status.
    package var status: HTTPResponse.Status {
        switch reason {
        case .unauthenticated: .unauthorized
        case .crossOrigin: .forbidden
        case .misdirected: .misdirectedRequest
        case .badRequest: .badRequest
        case .notFound: .notFound
        case .conflict: .conflict
        case .failed(_, let platform): platform ? .badGateway : .internalServerError
        }
    }

    /// The message the page shows.
    package var description: String {
        switch reason {
        case .unauthenticated:
            "no session: open the URL 'rescale-int ui' printed (its one-time token starts a session)"
        case .crossOrigin: "refused: a state-changing request needs the session cookie and a same-origin Origin"
        case .misdirected(let host): "misdirected request: host '\(host)' is not this server"
        case .badRequest(let message), .notFound(let message), .conflict(let message): message
        case .failed(let message, _): message
        }
    }

    /// Renders the error as JSON.
    ///
    /// - Parameters:
    ///   - request: The request.
    ///   - context: Its context.
    /// - Returns: The response.
    /// - Throws: Nothing in practice (the protocol allows it).
    package func response(from request: Request, context: some RequestContext) throws -> Response {
        WebReply.json(["error": description], status: status)
    }
}

/// Builds the UI's responses: JSON bodies with no caching and the content type set.
package enum WebReply {
    /// The encoder of every JSON reply: sorted keys, ISO-8601 dates.
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    /// A JSON response.
    ///
    /// - Parameters:
    ///   - value: The body.
    ///   - status: The status (200 by default).
    /// - Returns: The response; an encoding failure becomes a 500 with its message.
    package static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let data: Data
        do {
            data = try encoder.encode(value)
        } catch {
            return bytes(
                Data("{\"error\":\"encoding failed\"}".utf8),
                type: "application/json",
                status: .internalServerError
            )
        }
        return bytes(data, type: "application/json", status: status)
    }

    /// A response with a body and a content type.
    ///
    /// - Parameters:
    ///   - data: The body.
    ///   - type: The content type.
    ///   - status: The status.
    /// - Returns: The response.
    package static func bytes(_ data: Data, type: String, status: HTTPResponse.Status = .ok) -> Response {
        var fields = HTTPFields()
        fields[.contentType] = type
        fields[.cacheControl] = "no-store"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Decodes a JSON request body of at most 1 MiB.
    ///
    /// - Parameters:
    ///   - type: The body's type.
    ///   - request: The request.
    /// - Returns: The decoded body.
    /// - Throws: ``WebError`` (400) when the body is not that JSON.
    package static func decode<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
        let buffer = try await request.body.collect(upTo: 1 << 20)
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch {
            throw WebError(.badRequest("the request body is not the expected JSON: \(error)"))
        }
    }
}

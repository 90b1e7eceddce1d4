import HTTPTypes
import Hummingbird
import InterlinkCore

/// JSON responses in the platform's shapes, including Django REST Framework error bodies.
enum APIReply {
    /// A JSON body with a status.
    static func json(_ status: HTTPResponse.Status, _ value: JSONValue, headers: [String: String] = [:]) -> Response {
        var fields = HTTPFields()
        fields[.contentType] = "application/json"
        for (name, text) in headers { if let field = HTTPField.Name(name) { fields[field] = text } }
        let buffer = ByteBuffer(string: value.compactJSON)
        fields[.contentLength] = String(buffer.readableBytes)
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: buffer))
    }

    /// A generic DRF error: `{"detail": "…"}`.
    static func detail(_ status: HTTPResponse.Status, _ message: String, headers: [String: String] = [:]) -> Response {
        json(status, ["detail": .string(message)], headers: headers)
    }

    /// An empty success.
    static func empty(_ status: HTTPResponse.Status) -> Response {
        var fields = HTTPFields()
        fields[.contentLength] = "0"
        return Response(status: status, headers: fields, body: ResponseBody())
    }
}

/// A handler's early exit with a finished response (validation failures, unknown ids).
struct ErrorResponse: Error {
    let response: Response

    static func notFound() -> ErrorResponse { ErrorResponse(response: APIReply.detail(.notFound, "Not found.")) }
    static func invalid(_ errors: JSONValue) -> ErrorResponse {
        ErrorResponse(response: APIReply.json(.badRequest, errors))
    }
    static func field(_ name: String, _ message: String) -> ErrorResponse {
        invalid(.object([name: .array([.string(message)])]))
    }
}

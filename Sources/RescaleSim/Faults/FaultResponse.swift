import HTTPTypes
import Hummingbird

/// The responses a fault produces in place of the real one, in the addressed service's own error format.
enum FaultResponse {
    /// Thrown inside a body writer to make the server drop the connection mid-body.
    struct ConnectionReset: Error {}

    static func make(_ action: FaultRule.Action, kind: String, isHead: Bool) -> Response {
        switch action {
        case .status(let code):
            return error(code, kind: kind, isHead: isHead, retryAfter: nil)
        case .throttle(let seconds):
            return error(429, kind: kind, isHead: isHead, retryAfter: seconds)
        case .reset:
            var fields = HTTPFields()
            fields[.contentType] = "application/octet-stream"
            fields[.contentLength] = "4096"
            return Response(
                status: .ok,
                headers: fields,
                body: ResponseBody(contentLength: 4096) { writer in
                    try await writer.write(ByteBuffer(repeating: 0x2A, count: 1024))
                    throw ConnectionReset()
                }
            )
        case .slow, .delay, .expireCredentials:
            preconditionFailure("\(action) does not replace the response")
        }
    }

    private static func error(_ code: Int, kind: String, isHead: Bool, retryAfter: Int?) -> Response {
        let status = HTTPResponse.Status(code: code)
        var headers: [String: String] = [:]
        if let retryAfter { headers["Retry-After"] = String(retryAfter) }
        if kind.hasPrefix("s3.") {
            let (name, message) =
                code == 429
                ? ("SlowDown", "Please reduce your request rate.")
                : code == 503
                    ? ("ServiceUnavailable", "Please reduce your request rate.")
                    : ("InternalError", "We encountered an internal error. Please try again.")
            var response = S3Error(name, code == 429 ? 503 : code, message).response(isHead: isHead, resource: kind)
            if let retryAfter { response.headers[.retryAfter] = String(retryAfter) }
            return response
        }
        if kind.hasPrefix("azure.") {
            let name = code == 429 || code == 503 ? "ServerBusy" : "InternalError"
            var response = BlobError(name, code == 429 ? 503 : code, "The server is busy (simulated fault).")
                .response(isHead: isHead, headers: HTTPFields())
            if let retryAfter { response.headers[.retryAfter] = String(retryAfter) }
            return response
        }
        let message =
            code == 429
            ? "Request was throttled. Expected available in \(retryAfter ?? 1) seconds." : "A server error occurred."
        return APIReply.detail(status, message, headers: headers)
    }
}

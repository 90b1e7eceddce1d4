import NIOCore

/// One HTTP request to a storage service, fully signed and ready to send.
package struct StorageRequest: Sendable {
    /// The HTTP method, such as `PUT`.
    package var method: String
    /// The absolute URL, already percent-encoded.
    package var url: String
    /// The headers to send; `Content-Length` is added by the transport.
    package var headers: [(String, String)]
    /// The body, or `nil` for none; a `ByteBuffer` is a value, so retries replay it.
    package var body: ByteBuffer?
    /// A body streamed from a producer instead of `body`, with its exact length (one attempt only).
    package var stream: (length: Int, chunks: PartChunks)?
    /// When set, `stream` goes `aws-chunked` with this CRC-32 trailer (its `Content-Length` is the framed length).
    package var trailer: S3ChecksumTrailer?

    /// Creates a request.
    package init(method: String, url: String, headers: [(String, String)] = [], body: ByteBuffer? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// A storage service's response with its whole body in memory.
package struct StorageResponse: Sendable {
    /// The HTTP status code.
    package var status: Int
    /// The response headers in wire order.
    package var headers: [(String, String)]
    /// The collected body.
    package var body: ByteBuffer

    /// Creates a response.
    package init(status: Int, headers: [(String, String)] = [], body: ByteBuffer = ByteBuffer()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of a header, matched case-insensitively.
    package func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    /// The body decoded as UTF-8 (lossy), for XML and error messages.
    package var text: String { String(decoding: body.readableBytesView, as: UTF8.self) }

    /// Whether the status is 2xx.
    package var isSuccess: Bool { (200..<300).contains(status) }
}

/// Sends storage requests: the seam between the clients and InterlinkHTTP, scripted in tests.
package protocol StorageTransport: Sendable {
    /// Sends a request and collects the response body.
    ///
    /// - Parameters:
    ///   - request: The signed request.
    ///   - timeout: The most time the request, body read and close may take together.
    ///   - maxBodyBytes: The largest response body accepted.
    /// - Returns: The response, whatever its status.
    /// - Throws: A transport error (connection, timeout), or `CancellationError`.
    func send(_ request: StorageRequest, timeout: Duration, maxBodyBytes: Int) async throws -> StorageResponse

    /// Sends a clean-up request (such as AbortMultipartUpload) that must run even in a cancelled task.
    ///
    /// - Parameters:
    ///   - request: The signed request.
    ///   - timeout: The deadline for the whole exchange.
    /// - Returns: The response.
    /// - Throws: A transport error.
    func sendIgnoringCancellation(_ request: StorageRequest, timeout: Duration) async throws -> StorageResponse
}

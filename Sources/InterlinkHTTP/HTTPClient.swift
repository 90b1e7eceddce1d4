import NIOCore
import NIOHTTP1

/// An HTTP/1.1 client on the system libcurl: one engine thread and one connection cache per client.
///
/// Create one per process (InterlinkCLI owns it) and call ``shutdown()`` when done; every request has a deadline.
/// By default redirects are not followed and bodies are not decompressed, so callers see exactly what the server
/// sent; a request opts in to both (``HTTPClientRequest/followsRedirects``,
/// ``HTTPClientRequest/acceptsCompressedResponses``), as the Rescale API client does.
package final class HTTPClient: Sendable {
    /// The client's settings.
    package struct Configuration: Sendable {
        /// How long making a connection may take.
        package var connectTimeout: TimeAmount = .seconds(30)
        /// The proxy every request goes through, if any.
        package var proxy: Proxy?
        /// Hosts reached without the proxy: curl's `NO_PROXY` syntax (comma-separated names or `*`).
        package var noProxy: String?
        /// A PEM file of trusted CAs instead of the system store (from `SSL_CERT_FILE`).
        package var caFile: String?
        /// Connections per host at most.
        package var maxConnectionsPerHost = 100
        /// Idle connections kept for reuse at most.
        package var maxCachedConnections = 200

        /// The defaults: 30 s connect timeout, no proxy, the system CA store.
        package init() {}

        /// The connect timeout in milliseconds, for curl.
        var connectTimeoutMilliseconds: Int { max(1, Int(connectTimeout.nanoseconds / 1_000_000)) }

        /// An HTTP proxy that tunnels HTTPS with CONNECT.
        package struct Proxy: Sendable, Hashable {
            /// The proxy's host.
            package var host: String
            /// The proxy's port.
            package var port: Int
            /// Basic credentials for the proxy, if any.
            package var authorization: Authorization?

            /// A proxy server.
            ///
            /// - Parameters:
            ///   - host: Its host name or address.
            ///   - port: Its port.
            ///   - authorization: Basic credentials, if it wants them.
            /// - Returns: The proxy.
            package static func server(host: String, port: Int, authorization: Authorization? = nil) -> Proxy {
                Proxy(host: host, port: port, authorization: authorization)
            }
        }

        /// Basic credentials.
        package struct Authorization: Sendable, Hashable {
            /// The user name.
            package var username: String
            /// The password.
            package var password: String

            /// Basic credentials.
            ///
            /// - Parameters:
            ///   - username: The user name.
            ///   - password: The password.
            /// - Returns: The credentials.
            package static func basic(username: String, password: String) -> Authorization {
                Authorization(username: username, password: password)
            }
        }
    }

    /// The engine that runs this client's requests.
    let engine: CurlEngine

    /// Creates a client and starts its engine thread.
    ///
    /// - Parameter configuration: The settings.
    package init(configuration: Configuration = Configuration()) {
        self.engine = CurlEngine(configuration: configuration)
    }

    /// A process-wide client with the default settings, for tests and tools that do not own one; never shut down.
    package static let shared = HTTPClient()

    /// Fails the requests still running and stops the engine thread.
    package func shutdown() async throws {
        await engine.shutdown()
    }

    /// Sends a request and returns once the head of the final response arrived; the body streams after it.
    ///
    /// Cancelling the task cancels the request (and a body still being read) with `CancellationError`.
    ///
    /// - Parameters:
    ///   - request: The request.
    ///   - deadline: When the whole exchange, body included, must be done.
    /// - Returns: The response.
    /// - Throws: ``HTTPClientError`` or `CancellationError`.
    package func execute(_ request: HTTPClientRequest, deadline: NIODeadline) async throws -> HTTPClientResponse {
        try await execute(request, deadline: deadline, honoringCancellation: true)
    }

    /// Sends a request with a timeout for the whole exchange.
    ///
    /// - Parameters:
    ///   - request: The request.
    ///   - timeout: How long the whole exchange, body included, may take.
    /// - Returns: The response.
    /// - Throws: ``HTTPClientError`` or `CancellationError`.
    package func execute(_ request: HTTPClientRequest, timeout: TimeAmount) async throws -> HTTPClientResponse {
        try await execute(request, deadline: .now() + timeout, honoringCancellation: true)
    }

    /// Sends a request that runs to its end even when the calling task is cancelled, as aborting an upload must.
    ///
    /// - Parameters:
    ///   - request: The request (a streamed body is not allowed: its producer would be cancelled).
    ///   - deadline: When the whole exchange must be done.
    /// - Returns: The response, whose body also ignores cancellation.
    /// - Throws: ``HTTPClientError``.
    package func executeIgnoringCancellation(
        _ request: HTTPClientRequest,
        deadline: NIODeadline
    ) async throws -> HTTPClientResponse {
        try await execute(request, deadline: deadline, honoringCancellation: false)
    }

    private func execute(
        _ request: HTTPClientRequest,
        deadline: NIODeadline,
        honoringCancellation: Bool
    ) async throws -> HTTPClientResponse {
        if honoringCancellation { try Task.checkCancellation() }
        let remaining = deadline - .now()
        guard remaining > .zero else { throw HTTPClientError.deadlineExceeded }
        let method = request.method.rawValue
        let sendsBody = request.body != nil || ["PUT", "POST", "PATCH"].contains(method)
        var headers: [(String, String)] = []
        for header in request.headers { headers.append((header.name, header.value)) }
        let transfer = CurlTransfer(
            request: CurlTransfer.Prepared(
                url: request.url,
                method: method,
                headers: headers,
                uploadLength: sendsBody ? request.body?.length ?? 0 : nil,
                timeoutMilliseconds: Int(min(remaining.nanoseconds / 1_000_000, Int64(Int32.max))),
                followsRedirects: request.followsRedirects && (method == "GET" || method == "HEAD"),
                acceptsCompressedResponses: request.acceptsCompressedResponses
            ),
            consumedChunks: request.body?.consumedChunks
        )
        let engine = self.engine
        switch request.body?.storage {
        case .bytes(let buffer):
            if buffer.readableBytes > 0 { _ = try? await transfer.send(buffer, engine: engine) }
            transfer.finishUpload(engine: engine)
        case .stream, nil:
            if request.body == nil { transfer.finishUpload(engine: engine) }
        }
        engine.submit(.add(transfer))
        let head: CurlTransfer.Head
        do {
            if case .stream(_, let producer) = request.body?.storage {
                head = try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { await Self.produce(producer, into: transfer, engine: engine) }
                    defer { group.cancelAll() }
                    return try await transfer.head(engine: engine, honoringCancellation: honoringCancellation)
                }
            } else {
                head = try await transfer.head(engine: engine, honoringCancellation: honoringCancellation)
            }
        } catch let error as HTTPClientError {
            throw error.whenCancelled
        }
        return HTTPClientResponse(
            status: HTTPResponseStatus(statusCode: head.status),
            headers: head.headers,
            body: HTTPClientResponse.Body(
                handle: ResponseHandle(transfer: transfer, engine: engine, honoringCancellation: honoringCancellation),
                declaredLength: head.headers.first(name: "Content-Length").flatMap { Int($0) }
            )
        )
    }

    /// Runs a streamed body's producer; a failure of the producer fails the request.
    private static func produce(
        _ producer: @Sendable (UploadWriter) async throws -> Void,
        into transfer: CurlTransfer,
        engine: CurlEngine
    ) async {
        do {
            try await producer(UploadWriter(transfer: transfer, engine: engine))
            transfer.finishUpload(engine: engine)
        } catch is CancellationError {
            // The head arrived first, or the request was cancelled or finished: nothing more to send.
        } catch {
            engine.cancel(transfer, reason: HTTPClientError(.uploadFailed(String(describing: error))))
        }
    }
}

/// What a streamed body's producer writes into.
package struct UploadWriter: Sendable {
    let transfer: CurlTransfer
    let engine: CurlEngine

    /// Queues one chunk, waiting while the queue holds more than its bound (2 MiB).
    ///
    /// - Parameter chunk: The bytes.
    /// - Throws: `CancellationError` once the request ended or the task was cancelled.
    package func write(_ chunk: ByteBuffer) async throws {
        try await transfer.send(chunk, engine: engine)
    }
}

import InterlinkHTTP
import NIOCore
import NIOHTTP1

/// The real transport: the process's one shared `HTTPClient`, every request with a deadline.
package struct HTTPClientTransport: StorageTransport {
    /// The shared client owned by the caller (InterlinkCLI, a test, or the bench).
    package let client: HTTPClient

    /// Wraps a shared client.
    ///
    /// - Parameter client: A client the caller keeps alive and shuts down.
    package init(client: HTTPClient) {
        self.client = client
    }

    /// Sends a request; cancelling the task cancels the request.
    package func send(_ request: StorageRequest, timeout: Duration, maxBodyBytes: Int) async throws -> StorageResponse {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for (name, value) in request.headers { outgoing.headers.add(name: name, value: value) }
        if let stream = request.stream {
            // Streamed to the socket as the producer writes it, with backpressure; the length is exact.
            // Each chunk goes back to the producer's pool once curl has copied it out.
            if let trailer = request.trailer {
                // The framing's own small buffers are not kept by the pool (it keeps only chunk-sized ones).
                outgoing.body = .stream(
                    trailer.framing(stream.chunks),
                    length: .known(Int64(trailer.encodedLength)),
                    returningChunksTo: stream.chunks.leaveRecyclingToConsumer()
                )
            } else {
                outgoing.body = .stream(
                    stream.chunks,
                    length: .known(Int64(stream.length)),
                    returningChunksTo: stream.chunks.leaveRecyclingToConsumer()
                )
            }
        } else if let body = request.body {
            outgoing.body = .bytes(body)
        }
        // An empty PUT or POST goes out with `Content-Length: 0` (the client sends it for these methods).
        let deadline = NIODeadline.now() + .nanoseconds(timeout.nanoseconds)
        let response = try await client.execute(outgoing, deadline: deadline)
        // Always drain the body (empty for HEAD) so the connection returns to the pool.
        let body = try await response.body.collect(upTo: max(maxBodyBytes, 1))
        return StorageResponse(
            status: Int(response.status.code),
            headers: response.headers.map { ($0.name, $0.value) },
            body: body
        )
    }

    /// Sends a request that runs to its end even when the calling task is cancelled (up to 64 MiB of body).
    package func sendIgnoringCancellation(_ request: StorageRequest, timeout: Duration) async throws -> StorageResponse
    {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for (name, value) in request.headers { outgoing.headers.add(name: name, value: value) }
        if let body = request.body { outgoing.body = .bytes(body) }
        let deadline = NIODeadline.now() + .nanoseconds(timeout.nanoseconds)
        let response = try await client.executeIgnoringCancellation(outgoing, deadline: deadline)
        let body = try await response.body.collect(upTo: 64 << 20)
        return StorageResponse(
            status: Int(response.status.code),
            headers: response.headers.map { ($0.name, $0.value) },
            body: body
        )
    }
}

extension Duration {
    /// The duration in whole nanoseconds, saturating at `Int64.max`.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? Int64.max : scaled + attoseconds / 1_000_000_000
    }
}

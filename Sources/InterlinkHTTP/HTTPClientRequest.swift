import NIOCore
import NIOHTTP1

/// One HTTP request: URL, method, headers and an optional body.
package struct HTTPClientRequest: Sendable {
    /// The absolute `http` or `https` URL.
    package var url: String
    /// The method; `HEAD` asks for no body.
    package var method: HTTPMethod = .GET
    /// The headers sent as given; the client adds only `Host` and `Content-Length`.
    package var headers = HTTPHeaders()
    /// The body, if any; a `PUT`, `POST` or `PATCH` without one sends `Content-Length: 0`.
    package var body: Body?
    /// Whether a `GET` or `HEAD` follows redirects.
    ///
    /// At most 5, `http` and `https` only; curl drops `Authorization` when a redirect leaves the host. Off by
    /// default: a signed storage request must never be sent elsewhere.
    package var followsRedirects = false
    /// Whether the request offers every content encoding curl can decode and reads the body decoded.
    ///
    /// Off by default: storage objects stream as stored.
    package var acceptsCompressedResponses = false

    /// Creates a `GET` request.
    ///
    /// - Parameter url: The absolute URL.
    package init(url: String) {
        self.url = url
    }

    /// A request body: bytes in memory, or a stream of chunks with an exact length.
    package struct Body: Sendable {
        /// How the body is stored.
        enum Storage: Sendable {
            case bytes(ByteBuffer)
            case stream(length: Int64, producer: @Sendable (UploadWriter) async throws -> Void)
        }

        /// The stored body.
        let storage: Storage
        /// Where a streamed body's chunks go once curl has copied them out (nil: nowhere).
        let consumedChunks: BufferPool?

        /// The length of a streamed body.
        package enum Length: Sendable {
            /// Exactly this many bytes.
            case known(Int64)
        }

        /// A body held in memory.
        ///
        /// - Parameter buffer: The bytes.
        /// - Returns: The body.
        package static func bytes(_ buffer: ByteBuffer) -> Body {
            Body(storage: .bytes(buffer), consumedChunks: nil)
        }

        /// A body streamed from a sequence as the connection takes it, with backpressure.
        ///
        /// - Parameters:
        ///   - sequence: The chunks; iterated once, inside `execute`.
        ///   - length: The exact total length, sent as `Content-Length`.
        ///   - pool: Where each chunk goes once curl has copied it into its own buffer, for the producer to write
        ///     its next chunks into; the sequence must keep no reference to a chunk it has handed over.
        /// - Returns: The body.
        package static func stream<Chunks: AsyncSequence & Sendable>(
            _ sequence: Chunks,
            length: Length,
            returningChunksTo pool: BufferPool? = nil
        ) -> Body where Chunks.Element == ByteBuffer {
            let count: Int64
            switch length {
            case .known(let known): count = known
            }
            return Body(
                storage: .stream(length: count) { writer in
                    for try await chunk in sequence { try await writer.write(chunk) }
                },
                consumedChunks: pool
            )
        }

        /// The body's length in bytes.
        var length: Int64 {
            switch storage {
            case .bytes(let buffer): Int64(buffer.readableBytes)
            case .stream(let length, _): length
            }
        }
    }
}

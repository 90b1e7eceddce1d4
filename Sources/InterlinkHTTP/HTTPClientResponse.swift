import NIOCore
import NIOHTTP1

/// The head of a final response and its body, which streams while it is read.
package struct HTTPClientResponse: Sendable {
    /// The status.
    package var status: HTTPResponseStatus
    /// The headers as the server sent them.
    package var headers: HTTPHeaders
    /// The body; dropping it unread cancels the rest of the transfer.
    package var body: Body

    /// The body: an async sequence of chunks with bounded buffering (curl pauses while 4 MiB are unread).
    package struct Body: AsyncSequence, Sendable {
        /// The element: a chunk of bytes.
        package typealias Element = ByteBuffer
        /// The failure: ``HTTPClientError``.
        package typealias Failure = any Error

        /// The transfer's owner, which cancels it when the last copy goes away.
        let handle: ResponseHandle
        /// The body's length as the server declared it (`Content-Length`), if it did: what ``collect(upTo:)``
        /// reserves up front instead of growing its buffer by doubling (a copy of the bytes at each step).
        var declaredLength: Int? = nil

        /// An iterator over the chunks.
        package struct AsyncIterator: AsyncIteratorProtocol {
            let handle: ResponseHandle

            /// The next chunk, or nil at the end.
            ///
            /// - Throws: ``HTTPClientError`` when the transfer failed, `CancellationError` when the task was
            ///   cancelled.
            package mutating func next() async throws -> ByteBuffer? {
                do {
                    return try await handle.transfer.nextChunk(
                        engine: handle.engine,
                        honoringCancellation: handle.honoringCancellation
                    )
                } catch {
                    throw error.whenCancelled
                }
            }
        }

        /// An iterator; iterate the body once.
        package func makeAsyncIterator() -> AsyncIterator {
            AsyncIterator(handle: handle)
        }

        /// The whole body, failing when it is longer than `maxBytes`.
        ///
        /// - Parameter maxBytes: The largest body accepted, in bytes.
        /// - Returns: The bytes.
        /// - Throws: ``HTTPClientError/Reason/bodyTooLarge(limit:)`` or the transfer's failure.
        package func collect(upTo maxBytes: Int) async throws -> ByteBuffer {
            var collected = ByteBuffer()
            // A hint only: a body curl decodes (gzip) is longer than declared, and one past the limit fails below.
            if let declaredLength, declaredLength > 0 { collected.reserveCapacity(Swift.min(declaredLength, maxBytes)) }
            for try await var chunk in self {
                guard collected.readableBytes + chunk.readableBytes <= maxBytes else {
                    handle.engine.cancel(handle.transfer, reason: .cancelled)
                    throw HTTPClientError(.bodyTooLarge(limit: maxBytes))
                }
                collected.writeBuffer(&chunk)
            }
            return collected
        }

        /// The most body bytes that were buffered unread at once (for tests of the bound).
        package var peakBufferedBytes: Int { handle.transfer.state.withLock { $0.bodyPeak } }

        /// The most request body bytes that were queued unsent at once (for tests of the bound).
        package var peakQueuedUploadBytes: Int { handle.transfer.state.withLock { $0.uploadPeak } }
    }
}

/// Owns a transfer for its response: when the response (and every copy of its body) is gone, the transfer is
/// cancelled, so a body nobody reads does not hold a connection.
final class ResponseHandle: Sendable {
    let transfer: CurlTransfer
    let engine: CurlEngine
    let honoringCancellation: Bool

    init(transfer: CurlTransfer, engine: CurlEngine, honoringCancellation: Bool) {
        self.transfer = transfer
        self.engine = engine
        self.honoringCancellation = honoringCancellation
    }

    deinit {
        if !transfer.state.withLock({ $0.isDone }) { engine.cancel(transfer, reason: .cancelled) }
    }
}

import NIOCore
import NIOHTTP1

#if canImport(Glibc)
import Glibc
#endif

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

        /// The smallest declared body collected into a buffer of ``BufferPool/responseBodies``: 1 MiB, where the
        /// allocator's fresh mappings begin to cost (smaller bodies come from its heap, which reuses memory).
        static let pooledBodyThreshold = 1 << 20

        /// The whole body, failing when it is longer than `maxBytes`.
        ///
        /// A body that declares 1 MiB or more is collected into a buffer of ``BufferPool/responseBodies`` when the
        /// task has one and it holds a buffer large enough; the caller hands the buffer back when done with it.
        ///
        /// - Parameter maxBytes: The largest body accepted, in bytes.
        /// - Returns: The bytes.
        /// - Throws: ``HTTPClientError/Reason/bodyTooLarge(limit:)`` or the transfer's failure.
        package func collect(upTo maxBytes: Int) async throws -> ByteBuffer {
            var collected = ByteBuffer()
            // A hint only: a body curl decodes (gzip) is longer than declared, and one past the limit fails below.
            if let declaredLength, declaredLength > 0 {
                let expected = Swift.min(declaredLength, maxBytes)
                if expected >= Self.pooledBodyThreshold, let pool = BufferPool.responseBodies,
                    let recycled = pool.take(capacity: expected)
                {
                    collected = recycled
                } else {
                    collected.reserveCapacity(expected)
                    Self.adviseHugePages(&collected)
                }
            }
            do {
                try await handle.transfer.collect(
                    into: &collected,
                    limit: maxBytes,
                    engine: handle.engine,
                    honoringCancellation: handle.honoringCancellation
                )
            } catch {
                throw error.whenCancelled
            }
            return collected
        }

        /// Asks the kernel to back a large, still untouched buffer with 2 MiB pages where it can.
        ///
        /// A body of several MiB gets fresh memory from the allocator (above its fixed mmap threshold), which the
        /// kernel hands over a 4 KiB page at a time, one fault and one zero-fill each: for a 1 GiB download in 16 MiB
        /// ranges that was 262,000 faults and a fifth of the process's CPU. With transparent huge pages in `madvise`
        /// mode (Debian's default) a range takes 8 faults. Advice only: without huge pages nothing changes.
        ///
        /// - Parameter buffer: A buffer whose capacity was just reserved and nothing written yet.
        static func adviseHugePages(_ buffer: inout ByteBuffer) {
            #if os(Linux)
            buffer.withUnsafeMutableWritableBytes { memory in
                guard let base = memory.baseAddress,
                    let span = hugePageSpan(address: UInt(bitPattern: base), count: memory.count),
                    let start = UnsafeMutableRawPointer(bitPattern: span.lowerBound)
                else { return }
                _ = madvise(start, Int(span.upperBound - span.lowerBound), MADV_HUGEPAGE)
            }
            #endif
        }

        /// The 2 MiB-aligned part of `count` bytes at `address` that huge pages can back, or nil for less than two
        /// huge pages (at most one would fit: not worth the advice).
        ///
        /// - Parameters:
        ///   - address: The memory's first byte.
        ///   - count: Its length.
        /// - Returns: The aligned addresses, or nil.
        static func hugePageSpan(address: UInt, count: Int) -> Range<UInt>? {
            let hugePage: UInt = 2 << 20
            guard count >= 2 * Int(hugePage) else { return nil }
            let first = (address + hugePage - 1) & ~(hugePage - 1)
            let end = (address + UInt(count)) & ~(hugePage - 1)
            return end > first ? first..<end : nil
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

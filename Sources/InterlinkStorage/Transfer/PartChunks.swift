import InterlinkHTTP
import NIOCore
import Synchronization

/// A bounded queue of body chunks between one producer and one HTTP request body: the producer writes a part chunk
/// by chunk while the request sends it, and waits whenever `limit` bytes are queued.
///
/// This is how an upload part is streamed to the socket as it is produced instead of being held whole in memory.
/// When the request stops early (failure, cancellation) the consumer calls ``abandon()``: later chunks are dropped
/// and a waiting producer wakes, so a sequential producer (one CBC chain) can finish the part and go on.
package final class PartChunks: AsyncSequence, Sendable {
    /// A body chunk.
    package typealias Element = ByteBuffer

    private struct State {
        var queue: [ByteBuffer] = []
        var queued = 0
        var finished = false
        var failure: (any Error)?
        var abandoned = false
        var consumer: CheckedContinuation<ByteBuffer?, any Error>?
        var producer: CheckedContinuation<Void, Never>?
        /// The chunk the consumer took last: it is done with it when it asks for the next one.
        var lastHanded: ByteBuffer?
        /// Set by a consumer that gives the chunks back to ``pool`` itself, once it is done with each.
        var consumerRecycles = false
    }

    /// The most bytes queued before ``send(_:)`` waits.
    package let limit: Int
    private let state = Mutex(State())
    private let counter: InFlightCounter?
    /// Where the chunks the consumer is done with go, for the producer's next ones.
    package let pool: BufferPool?

    /// Creates an empty queue.
    ///
    /// - Parameters:
    ///   - limit: The most bytes queued before the producer waits (at least one chunk is always accepted).
    ///   - counter: Counts the bytes queued across every part, for tests and diagnostics.
    ///   - pool: Recycles sent chunks into ``buffer(capacity:)``; `nil` allocates every chunk.
    package init(limit: Int = 2 << 20, counter: InFlightCounter? = nil, pool: BufferPool? = nil) {
        self.limit = Swift.max(limit, 1)
        self.counter = counter
        self.pool = pool
    }

    /// An empty buffer with room for `capacity` bytes for the next chunk: a recycled one when the pool has it.
    ///
    /// - Parameter capacity: The chunk's size.
    /// - Returns: A buffer to write the chunk into and ``send(_:)``.
    package func buffer(capacity: Int) -> ByteBuffer {
        pool?.take(capacity: capacity) ?? ByteBufferAllocator().buffer(capacity: capacity)
    }

    /// Queues a copy of `bytes` as the next chunk, in a recycled buffer when the pool has one.
    ///
    /// - Parameter bytes: The chunk; only read during the call.
    package func send(copying bytes: UnsafeRawBufferPointer) async {
        var chunk = buffer(capacity: bytes.count)
        chunk.writeBytes(bytes)
        await send(chunk)
    }

    /// Whether the consumer is waiting for the next chunk.
    var hasWaitingConsumer: Bool { state.withLock { $0.consumer != nil } }

    /// Whether the consumer is gone, so further chunks are dropped.
    package var isAbandoned: Bool { state.withLock { $0.abandoned } }

    /// Queues a chunk, first waiting while `limit` bytes are queued; drops it when the consumer is gone.
    ///
    /// - Parameter chunk: The next bytes of the body.
    package func send(_ chunk: ByteBuffer) async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
                let ready = state.withLock { state in
                    if state.abandoned || state.queued < limit { return true }
                    state.producer = waiter
                    return false
                }
                if ready { waiter.resume() }
            }
        } onCancel: {
            abandon()
        }
        let consumer: CheckedContinuation<ByteBuffer?, any Error>? = state.withLock { state in
            if state.abandoned { return nil }
            if let consumer = state.consumer {
                state.consumer = nil
                if pool != nil, !state.consumerRecycles { state.lastHanded = chunk }
                // Handed straight to the waiting consumer: between the two sides for an instant, and counted so.
                counter?.pass(chunk.readableBytes)
                return consumer
            }
            state.queue.append(chunk)
            state.queued += chunk.readableBytes
            counter?.add(chunk.readableBytes)
            return nil
        }
        consumer?.resume(returning: chunk)
    }

    /// Hands the recycling of chunks to the consumer, which gives each one to ``pool`` when nothing refers to it
    /// any more, and returns the pool (nil when there is none); call it before taking the first chunk.
    ///
    /// The HTTP client does this: a chunk it has taken is still queued for curl, so by default (recycled when the
    /// consumer asks for the next one) the producer would often get a buffer still referenced there, which its next
    /// write then copies into fresh memory (a third of a 1 GiB upload's chunks did).
    ///
    /// - Returns: The pool the consumer gives the chunks to.
    package func leaveRecyclingToConsumer() -> BufferPool? {
        guard let pool else { return nil }
        state.withLock { $0.consumerRecycles = true }
        return pool
    }

    /// Ends the body after the last chunk.
    package func finish() {
        let consumer = state.withLock { state in
            state.finished = true
            return state.queue.isEmpty ? state.consumer.take() : nil
        }
        consumer?.resume(returning: nil)
    }

    /// Ends the body with an error, which the consumer sees after the queued chunks.
    ///
    /// - Parameter error: Why the producer stopped.
    package func fail(_ error: any Error) {
        let consumer = state.withLock { state in
            state.failure = error
            state.finished = true
            return state.queue.isEmpty ? state.consumer.take() : nil
        }
        consumer?.resume(throwing: error)
    }

    /// Stops consuming: drops the queued chunks and every later one, and wakes both sides.
    package func abandon() {
        let (consumer, producer) = state.withLock { state in
            state.abandoned = true
            counter?.add(-state.queued)
            state.queue = []
            state.queued = 0
            state.lastHanded = nil
            return (state.consumer.take(), state.producer.take())
        }
        consumer?.resume(throwing: CancellationError())
        producer?.resume()
    }

    /// The next queued chunk, waiting for the producer; `nil` after ``finish()``.
    ///
    /// - Throws: The producer's error, or `CancellationError` once abandoned.
    func next() async throws -> ByteBuffer? {
        try await withCheckedThrowingContinuation { (waiter: CheckedContinuation<ByteBuffer?, any Error>) in
            let (result, producer) = state.withLock {
                state -> (Result<ByteBuffer?, any Error>?, CheckedContinuation<Void, Never>?) in
                if state.abandoned { return (.failure(CancellationError()), nil) }
                // The consumer asks again: the chunk it took before is sent (or queued further on, where it is only
                // read) and can be recycled.
                if let done = state.lastHanded.take() { pool?.give(done) }
                if !state.queue.isEmpty {
                    let chunk = state.queue.removeFirst()
                    state.queued -= chunk.readableBytes
                    counter?.add(-chunk.readableBytes)
                    if pool != nil, !state.consumerRecycles { state.lastHanded = chunk }
                    return (.success(chunk), state.queued < limit ? state.producer.take() : nil)
                }
                if let failure = state.failure { return (.failure(failure), nil) }
                if state.finished { return (.success(nil), nil) }
                state.consumer = waiter
                return (nil, state.producer.take())
            }
            producer?.resume()
            if let result { waiter.resume(with: result) }
        }
    }

    /// Iterates the chunks; one iterator per queue.
    package func makeAsyncIterator() -> Iterator { Iterator(chunks: self) }

    /// Reads the queue's chunks in order.
    package struct Iterator: AsyncIteratorProtocol {
        let chunks: PartChunks

        /// The next chunk, or `nil` at the end.
        ///
        /// - Returns: The chunk.
        /// - Throws: The producer's error, or `CancellationError` once abandoned.
        package mutating func next() async throws -> ByteBuffer? { try await chunks.next() }
    }
}

/// Counts the body bytes queued in ``PartChunks`` across an upload and keeps the peak.
///
/// A chunk counts from the moment the producer hands it over until the consumer takes it, so a chunk that a waiting
/// consumer takes at once still reaches the peak: with a slow producer (gzip on a busy machine) the queue itself may
/// never hold anything.
package final class InFlightCounter: Sendable {
    private let counts = Mutex((now: 0, peak: 0))

    /// Creates a counter at zero.
    package init() {}

    /// Adds (or with a negative value removes) queued bytes.
    ///
    /// - Parameter bytes: The change.
    package func add(_ bytes: Int) {
        counts.withLock { counts in
            counts.now += bytes
            counts.peak = max(counts.peak, counts.now)
        }
    }

    /// Counts a chunk handed straight from the producer to a waiting consumer: it is between the two for an instant,
    /// on top of what is queued, so the peak sees it even when the consumer always waits for the producer.
    ///
    /// - Parameter bytes: The chunk's size.
    package func pass(_ bytes: Int) {
        counts.withLock { counts in counts.peak = max(counts.peak, counts.now + bytes) }
    }

    /// The most bytes queued at once so far.
    package var peak: Int { counts.withLock { $0.peak } }
}

/// A part body that is streamed: its length, the queue the producer is filling, and how to produce it again.
///
/// The first attempt sends the live queue; a retry cannot rewind it, so it gets a fresh queue filled by `replay`,
/// which regenerates the part from its checkpoint (for the encrypted pipeline: the plaintext offset and the previous
/// ciphertext block, without hashing again).
package final class StreamedPartBody: Sendable {
    /// The part's exact length in bytes, sent as `Content-Length`.
    package let length: Int
    private let live: Mutex<PartChunks?>
    private let replay: @Sendable (PartChunks) async throws -> Void
    private let limit: Int
    private let pool: BufferPool?

    /// Creates a streamed body.
    ///
    /// - Parameters:
    ///   - length: The exact length.
    ///   - live: The queue the producer is filling for the first attempt.
    ///   - replay: Writes the same bytes again into a fresh queue (without finishing it), for a retry.
    package init(length: Int, live: PartChunks, replay: @escaping @Sendable (PartChunks) async throws -> Void) {
        self.length = length
        self.live = Mutex(live)
        self.replay = replay
        self.limit = live.limit
        self.pool = live.pool
    }

    /// Drops the live queue if no attempt took it, so its producer does not wait for a reader that never comes.
    package func abandonLive() {
        live.withLock { $0.take() }?.abandon()
    }

    /// Runs one attempt: `send` reads the live queue the first time, and a freshly replayed one afterwards.
    ///
    /// - Parameter send: Sends the request whose body is the given queue.
    /// - Returns: What `send` returns.
    /// - Throws: What `send` or the replay throws.
    package func attempt<T: Sendable>(_ send: (PartChunks) async throws -> T) async throws -> T {
        if let chunks = live.withLock({ $0.take() }) {
            defer { chunks.abandon() }
            return try await send(chunks)
        }
        let chunks = PartChunks(limit: limit, pool: pool)
        let replay = self.replay
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    try await replay(chunks)
                    chunks.finish()
                } catch {
                    chunks.fail(error)
                    throw error
                }
            }
            let result: T
            do {
                result = try await send(chunks)
            } catch {
                chunks.abandon()
                throw error
            }
            chunks.abandon()
            try await group.waitForAll()
            return result
        }
    }
}

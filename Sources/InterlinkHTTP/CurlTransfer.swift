import CCurl
import NIOCore
import NIOHTTP1
import Synchronization

/// The state of one request, shared between the engine thread (curl's callbacks) and the tasks that wait on it.
///
/// The engine holds a strong reference while the easy handle is in the multi handle and passes the object to the C
/// callbacks as unretained userdata. Every field that changes lives in the mutex; callers wait with continuations
/// that the engine thread resumes (never holding the lock across an `await`).
final class CurlTransfer: Sendable {
    /// The request's fixed description, read by the engine when it creates the easy handle.
    let request: Prepared
    /// The request's limits: upload queue and download buffer, in bytes.
    let limits: Limits
    /// The changing state.
    let state: Mutex<State>
    /// Where upload chunks go once copied into curl's buffer (a streamed body's ``HTTPClientRequest/Body/consumedChunks``).
    let consumedChunks: BufferPool?

    /// What the engine needs to build the easy handle.
    struct Prepared: Sendable {
        var url: String
        var method: String
        var headers: [(String, String)]
        /// The upload length when the request sends a body (or `Content-Length: 0`); nil for none.
        var uploadLength: Int64?
        var timeoutMilliseconds: Int
        /// Follow redirects: set only for a GET or HEAD that asked (curl reports each response's head; only the last
        /// one counts).
        var followsRedirects = false
        /// Offer and decode compressed bodies.
        var acceptsCompressedResponses = false
    }

    /// Bounds on buffered bytes.
    struct Limits: Sendable {
        /// The producer waits while the upload queue holds more than this.
        var upload = 2 << 20
        /// curl is paused while the downloaded, unread bytes exceed this.
        var download = 4 << 20
    }

    /// The head of a final response.
    struct Head: Sendable {
        var status: Int
        var headers: HTTPHeaders
    }

    /// Everything that changes.
    struct State: Sendable {
        var upload = CircularBuffer<ByteBuffer>()
        var uploadQueued = 0
        var uploadPeak = 0
        var uploadFinished = false
        /// Bytes handed to curl so far.
        var uploadSent: Int64 = 0
        /// Set when the body ended before its declared length; the request fails with this error.
        var shortBody: HTTPClientError?
        var sendPaused = false
        var producerWaiter: CheckedContinuation<Void, Never>?
        var status = 0
        var headers = HTTPHeaders()
        var head: Head?
        var headWaiter: CheckedContinuation<Void, Never>?
        var body = CircularBuffer<ByteBuffer>()
        var bodyBuffered = 0
        var bodyPeak = 0
        var recvPaused = false
        var bodyWaiter: CheckedContinuation<Void, Never>?
        /// Where the write callback appends the body while ``CurlTransfer/collect(into:limit:engine:honoringCancellation:)``
        /// waits, instead of queueing chunks: set only then, and then its only reference, so bytes are copied once,
        /// from curl's buffer into place.
        var sink: ByteBuffer?
        var collectLimit = 0
        /// Set when the body passed `collectLimit`: the write callback refused it, failing the transfer.
        var collectOverflow = false
        var outcome: Result<Void, HTTPClientError>?
        /// Set once the engine has removed the handle (completion, cancellation or shutdown).
        var isDone: Bool { outcome != nil }

        /// Stores a waiter in its slot.
        mutating func park(_ continuation: CheckedContinuation<Void, Never>, in slot: Slot) {
            switch slot {
            case .producer: producerWaiter = continuation
            case .head: headWaiter = continuation
            case .body: bodyWaiter = continuation
            }
        }

        /// Takes every waiter so they can be resumed outside the lock.
        mutating func takeWaiters() -> [CheckedContinuation<Void, Never>] {
            defer {
                producerWaiter = nil
                headWaiter = nil
                bodyWaiter = nil
            }
            return [producerWaiter, headWaiter, bodyWaiter].compactMap { $0 }
        }
    }

    /// Creates the state of a request.
    init(request: Prepared, limits: Limits = Limits(), consumedChunks: BufferPool? = nil) {
        self.request = request
        self.limits = limits
        self.state = Mutex(State())
        self.consumedChunks = consumedChunks
    }

    /// Records the outcome (the first one wins) and wakes every waiter; called on the engine thread.
    func finish(_ outcome: Result<Void, HTTPClientError>) {
        let waiters = state.withLock { state in
            if state.outcome == nil {
                if case .success = outcome, state.head == nil {
                    state.outcome = .failure(.remoteConnectionClosed)
                } else {
                    state.outcome = outcome
                }
            }
            return state.takeWaiters()
        }
        for waiter in waiters { waiter.resume() }
    }

    /// The pause bits the engine applies with `curl_easy_pause`.
    var pauseMask: Int32 {
        state.withLock { state in
            (state.recvPaused ? ccurl_pause_recv() : 0) | (state.sendPaused ? ccurl_pause_send() : 0)
        }
    }

    // MARK: - Callbacks (engine thread)

    /// Copies queued upload bytes into curl's buffer, or pauses the upload while the queue is empty.
    func read(into buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int {
        var copiedChunks: [ByteBuffer] = []
        let (count, waiter) = state.withLock { state -> (Int, CheckedContinuation<Void, Never>?) in
            if state.isDone { return (ccurl_readfunc_abort(), nil) }
            guard !state.upload.isEmpty else {
                if state.uploadFinished {
                    // A body shorter than its Content-Length would leave curl waiting for the server's answer and
                    // the server waiting for the rest: fail the request instead.
                    if let length = request.uploadLength, state.uploadSent < length {
                        state.shortBody = HTTPClientError(
                            .uploadFailed("the request body ended after \(state.uploadSent) of \(length) bytes")
                        )
                        return (ccurl_readfunc_abort(), nil)
                    }
                    return (0, nil)
                }
                state.sendPaused = true
                return (ccurl_readfunc_pause(), nil)
            }
            var copied = 0
            while copied < capacity, var chunk = state.upload.popFirst() {
                let count = min(capacity - copied, chunk.readableBytes)
                chunk.withUnsafeReadableBytes { source in
                    if let base = source.baseAddress {
                        UnsafeMutableRawPointer(buffer + copied).copyMemory(from: base, byteCount: count)
                    }
                }
                chunk.moveReaderIndex(forwardBy: count)
                copied += count
                if chunk.readableBytes > 0 {
                    state.upload.prepend(chunk)
                } else if consumedChunks != nil {
                    copiedChunks.append(chunk)
                }
            }
            state.uploadQueued -= copied
            state.uploadSent += Int64(copied)
            var waiter: CheckedContinuation<Void, Never>?
            if state.uploadQueued <= limits.upload {
                waiter = state.producerWaiter
                state.producerWaiter = nil
            }
            return (copied, waiter)
        }
        // Copied out whole: nothing refers to these buffers any more, so the producer can write into them again.
        while let chunk = copiedChunks.popLast() { consumedChunks?.give(chunk) }
        waiter?.resume()
        return count
    }

    /// Takes one header line: a status line starts a new header block, the empty line ends it.
    func header(_ bytes: UnsafeRawBufferPointer) {
        var line = Substring(String(decoding: bytes, as: UTF8.self))
        while let last = line.last, last.isNewline { line = line.dropLast() }
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard state.head == nil else { return nil }
            if line.hasPrefix("HTTP/") {
                let parts = line.split(separator: " ", maxSplits: 2)
                state.status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
                state.headers = HTTPHeaders()
            } else if line.isEmpty {
                guard state.status >= 200 else { return nil }
                // A redirect curl is about to follow: its head is not the answer.
                if request.followsRedirects, [301, 302, 303, 307, 308].contains(state.status),
                    state.headers.contains(name: "Location")
                {
                    return nil
                }
                state.head = Head(status: state.status, headers: state.headers)
                defer { state.headWaiter = nil }
                return state.headWaiter
            } else if let colon = line.firstIndex(of: ":") {
                let name = line[..<colon].trimmingSpaces
                let value = line[line.index(after: colon)...].trimmingSpaces
                state.headers.add(name: String(name), value: String(value))
            }
            return nil
        }
        waiter?.resume()
    }

    /// Appends downloaded bytes for the consumer, or pauses the download while the buffer is over its bound.
    func write(_ bytes: UnsafeRawBufferPointer) -> Int {
        let (count, waiter) = state.withLock { state -> (Int, CheckedContinuation<Void, Never>?) in
            if state.isDone { return (0, nil) }
            // Read through optional chaining, in place: binding the sink would add a reference and make the write
            // below copy it.
            if let collected = state.sink?.readableBytes {
                guard collected + bytes.count <= state.collectLimit else {
                    state.collectOverflow = true
                    return (0, nil)
                }
                // In place: the sink is uniquely referenced, so no copy of what it holds and no chunk buffer.
                state.sink?.writeBytes(bytes)
                return (bytes.count, nil)
            }
            if state.bodyBuffered >= limits.download {
                state.recvPaused = true
                return (ccurl_writefunc_pause(), nil)
            }
            state.body.append(ByteBuffer(bytes: bytes))
            state.bodyBuffered += bytes.count
            state.bodyPeak = max(state.bodyPeak, state.bodyBuffered)
            defer { state.bodyWaiter = nil }
            return (bytes.count, state.bodyWaiter)
        }
        waiter?.resume()
        return count
    }
}

extension Substring {
    /// The text without leading and trailing spaces and tabs.
    fileprivate var trimmingSpaces: Substring {
        var text = self
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return text
    }
}

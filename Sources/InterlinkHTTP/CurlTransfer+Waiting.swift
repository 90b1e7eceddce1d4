import NIOCore

extension CurlTransfer {
    /// The waiter fields of ``State``.
    enum Slot: Sendable { case producer, head, body }
    /// Waits until `isReady` holds, parking in the waiter slot at `slot` that the engine thread resumes.
    ///
    /// - Parameters:
    ///   - slot: The waiter field of ``State`` this wait uses.
    ///   - isReady: Checked under the lock before parking.
    ///   - onCancel: Run when the waiting task is cancelled (nil: cancellation is ignored).
    func wait(
        in slot: Slot,
        until isReady: @escaping @Sendable (State) -> Bool,
        onCancel: (@Sendable () -> Void)?
    ) async {
        let parked = {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = self.state.withLock { state in
                    if isReady(state) { return true }
                    state.park(continuation, in: slot)
                    return false
                }
                if ready { continuation.resume() }
            }
        }
        guard let onCancel else { return await parked() }
        await withTaskCancellationHandler(operation: parked, onCancel: onCancel)
    }

    /// The cancellation handler of a wait: cancel the transfer, or nothing when cancellation is ignored.
    private func cancellation(_ engine: CurlEngine, _ honoring: Bool) -> (@Sendable () -> Void)? {
        guard honoring else { return nil }
        return { engine.cancel(self, reason: HTTPClientError.cancelled) }
    }

    /// Waits for the head of the final response.
    ///
    /// - Parameters:
    ///   - engine: The engine that runs the transfer (asked to cancel it when the task is cancelled).
    ///   - honoringCancellation: Whether task cancellation cancels the transfer.
    /// - Returns: Status and headers.
    /// - Throws: ``HTTPClientError`` when the transfer fails before its head.
    func head(engine: CurlEngine, honoringCancellation: Bool) async throws(HTTPClientError) -> Head {
        while true {
            let polled = state.withLock { state -> Result<Head, HTTPClientError>? in
                if let head = state.head { return .success(head) }
                if case .failure(let error) = state.outcome { return .failure(error) }
                return state.outcome == nil ? nil : .failure(.remoteConnectionClosed)
            }
            if let polled { return try polled.get() }
            await wait(
                in: .head,
                until: { $0.head != nil || $0.isDone },
                onCancel: cancellation(engine, honoringCancellation)
            )
        }
    }

    /// The next downloaded chunk, or nil at the end of the body; asks the engine to resume a paused download once
    /// the buffer has drained to half its bound.
    ///
    /// - Throws: ``HTTPClientError`` when the transfer failed.
    func nextChunk(engine: CurlEngine, honoringCancellation: Bool) async throws(HTTPClientError) -> ByteBuffer? {
        while true {
            let limit = limits.download
            let polled = state.withLock { state -> (Result<ByteBuffer?, HTTPClientError>, unpause: Bool)? in
                if let chunk = state.body.popFirst() {
                    state.bodyBuffered -= chunk.readableBytes
                    let unpause = state.recvPaused && state.bodyBuffered <= limit / 2
                    if unpause { state.recvPaused = false }
                    return (.success(chunk), unpause)
                }
                switch state.outcome {
                case .success: return (.success(nil), false)
                case .failure(let error): return (.failure(error), false)
                case nil: return nil
                }
            }
            if let polled {
                let (result, unpause) = polled
                if unpause { engine.unpause(self) }
                return try result.get()
            }
            await wait(
                in: .body,
                until: { !$0.body.isEmpty || $0.isDone },
                onCancel: cancellation(engine, honoringCancellation)
            )
        }
    }

    /// Collects the rest of the body into `buffer`, which the write callback fills directly until the transfer ends.
    ///
    /// Chunks already queued are appended first. The buffer is moved into the state while the lock is held, so the
    /// callback's appends never copy it; it comes back in `buffer` at the end, also on failure.
    ///
    /// - Parameters:
    ///   - buffer: Where the body goes, after what it holds; empty (with capacity reserved) for a whole body.
    ///   - limit: The most body bytes accepted in all.
    ///   - engine: The engine that runs the transfer (asked to cancel it when the task is cancelled).
    ///   - honoringCancellation: Whether task cancellation cancels the transfer.
    /// - Throws: ``HTTPClientError/Reason/bodyTooLarge(limit:)`` past `limit`, or the transfer's failure.
    func collect(into buffer: inout ByteBuffer, limit: Int, engine: CurlEngine, honoringCancellation: Bool)
        async throws(HTTPClientError)
    {
        let (fits, unpause) = state.withLock { state -> (Bool, Bool) in
            while var chunk = state.body.popFirst() {
                guard buffer.readableBytes + chunk.readableBytes <= limit else { return (false, false) }
                buffer.writeBuffer(&chunk)
            }
            state.bodyBuffered = 0
            state.collectLimit = limit
            state.sink = buffer
            buffer = ByteBuffer()
            defer { state.recvPaused = false }
            return (true, state.recvPaused)
        }
        guard fits else {
            engine.cancel(self, reason: .cancelled)
            throw HTTPClientError(.bodyTooLarge(limit: limit))
        }
        if unpause { engine.unpause(self) }
        await wait(in: .body, until: { $0.isDone }, onCancel: cancellation(engine, honoringCancellation))
        let (outcome, overflow) = state.withLock { state -> (Result<Void, HTTPClientError>?, Bool) in
            buffer = state.sink.take() ?? ByteBuffer()
            return (state.outcome, state.collectOverflow)
        }
        if overflow { throw HTTPClientError(.bodyTooLarge(limit: limit)) }
        switch outcome {
        case .success: return
        case .failure(let error): throw error
        case nil: throw HTTPClientError(.remoteConnectionClosed)
        }
    }

    /// Queues one chunk of the request body, waiting while the queue is over its bound.
    ///
    /// - Throws: `CancellationError` when the producing task is cancelled or the transfer has ended.
    func send(_ chunk: ByteBuffer, engine: CurlEngine) async throws {
        // An empty chunk must never reach the queue: curl takes a read of 0 bytes for the end of the body.
        guard chunk.readableBytes > 0 else { return }
        let limit = limits.upload
        while true {
            enum Step {
                case closed, wait
                case queued(unpause: Bool)
            }
            let step = state.withLock { state -> Step in
                if state.isDone { return .closed }
                if state.uploadQueued > limit { return .wait }
                state.upload.append(chunk)
                state.uploadQueued += chunk.readableBytes
                state.uploadPeak = max(state.uploadPeak, state.uploadQueued)
                let unpause = state.sendPaused
                state.sendPaused = false
                return .queued(unpause: unpause)
            }
            switch step {
            case .closed:
                throw CancellationError()
            case .queued(let unpause):
                if unpause { engine.unpause(self) }
                return
            case .wait:
                try Task.checkCancellation()
                await wait(
                    in: .producer,
                    until: { $0.isDone || $0.uploadQueued <= limit },
                    onCancel: {
                        let waiter = self.state.withLock { state in
                            defer { state.producerWaiter = nil }
                            return state.producerWaiter
                        }
                        waiter?.resume()
                    }
                )
                try Task.checkCancellation()
            }
        }
    }

    /// Marks the request body complete, resuming a paused upload so curl sees its end.
    func finishUpload(engine: CurlEngine) {
        let unpause = state.withLock { state in
            state.uploadFinished = true
            defer { state.sendPaused = false }
            return state.sendPaused
        }
        if unpause { engine.unpause(self) }
    }
}

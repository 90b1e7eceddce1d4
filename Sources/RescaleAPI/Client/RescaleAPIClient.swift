import Foundation
import InterlinkCore
import InterlinkHTTP
import Logging
import NIOCore
import NIOHTTP1

/// The Rescale REST client: one per platform and key, over the process's single `HTTPClient`.
///
/// Every request takes one token from its scope's bucket, retries included, inside the API retry loop
/// (``Options``), which runs as far as its ``APIRetryClass`` allows, within its deadline. Retries take tokens too
/// (the platform's own description says they need not): otherwise, after a 429, every throttled request's retry
/// would leave at the cooldown's end at once and the server would count us over the limit again. Failures come
/// back as `PlatformError` with the retry class the engine needs. The key goes only into the `Authorization`
/// header, and only to the validated host.
package struct RescaleAPIClient: Sendable {
    /// The shared HTTP client, owned by the caller.
    package let http: HTTPClient
    /// The validated platform.
    package let baseURL: PlatformURL
    /// The key (redacted in every textual form).
    package let key: APIKey
    /// The process-wide buckets.
    package let limiter: RateLimiter
    /// Tuning.
    package var options: Options
    /// Where calls are logged at `.debug` (method, path, status; never the key).
    package var logger: Logger

    /// Retry and timing parameters.
    package struct Options: Sendable {
        /// Attempts per call, the first included.
        package var maxAttempts = 11
        /// The backoff cap.
        package var maxBackoff: Duration = .seconds(30)
        /// The first backoff step.
        package var baseBackoff: Duration = .seconds(1)
        /// The clock for backoff sleeps and deadlines.
        package var clock: ElapsedClock = .continuous
        /// Uniform values in `[0, 1)` for the full jitter.
        package var unitRandom: @Sendable () -> Double = { Double.random(in: 0..<1) }
        /// The largest response body read.
        package var maxBodyBytes = 64 << 20
        /// The most pages a listing follows.
        package var maxPages = 1000
        /// Called as each retry of a failed call is scheduled (no response, or a server error), before the wait.
        ///
        /// Rate-limit waits are not reported. Must return quickly.
        package var onRetry: (@Sendable (APIRetryNotice) -> Void)?

        /// Default options.
        package init() {}
    }

    /// Creates a client after validating the base URL again.
    ///
    /// - Parameters:
    ///   - baseURL: The platform URL as configured.
    ///   - key: The API key.
    ///   - allowInsecureHost: Accept a host off the allow-list (emulator, tests); must be explicit.
    ///   - http: The process's HTTP client.
    ///   - limiter: The process's buckets.
    ///   - options: Retry and timing parameters.
    ///   - logger: The logger.
    /// - Throws: ``ConfigurationError`` for a refused URL.
    package init(
        baseURL: String,
        key: APIKey,
        allowInsecureHost: Bool = false,
        http: HTTPClient,
        limiter: RateLimiter,
        options: Options = Options(),
        logger: Logger
    ) throws(ConfigurationError) {
        self.baseURL = try PlatformURL(validating: baseURL, allowInsecureHost: allowInsecureHost)
        self.key = key
        self.http = http
        self.limiter = limiter
        self.options = options
        self.logger = logger
    }

    /// Sends one logical call: the retry loop, each attempt taking one token.
    ///
    /// - Parameter request: The call.
    /// - Returns: The successful response.
    /// - Throws: `PlatformError` (the final response's status and body on failure), `StopRequested` when the
    ///   step's stop signal (``StopSignal/current``) is raised while the call waits for a token or a retry waits,
    ///   or `CancellationError`.
    package func send(_ request: APIRequest) async throws -> APIResponse {
        let bucket = RateLimiter.BucketKey(
            baseURL: baseURL.description,
            keyFingerprint: key.fingerprint,
            scope: request.scope
        )
        try await takeToken(bucket)
        let clock = options.clock
        var deadline = clock.elapsed() + request.deadline
        // A journaled bound on a create or submit (retry class once; not on the tags, lookups and project
        // assignment around it): no byte of this call may be on the wire after it, or a resumed run could look for
        // the job before the request was acted on.
        let sendBy = request.retryClass == .once ? RequestBound.sendBy : nil
        var attempt = 1
        while true {
            try Task.checkCancellation()
            var timeout = max(deadline - clock.elapsed(), .seconds(1))
            if let sendBy {
                let left = sendBy.timeIntervalSinceNow
                guard left > 0.05 else {
                    throw PlatformError(
                        .transport("the request was not sent before its journaled deadline (it waited for its turn)"),
                        retryClass: attempt == 1 ? .retryable : .needsReconcile
                    )
                }
                timeout = min(timeout, .milliseconds(Int64(left * 1000)))
            }
            var failure: PlatformError
            var pause: Duration
            var notice: APIRetryNotice.Cause?
            do {
                let response = try await execute(request, timeout: timeout, attempt: attempt)
                if isAccepted(response.status, request) { return response }
                failure = APIFailure.error(for: response, request: request, key: key)
                if response.status == 429 {
                    let retryAfter = RetryAfter.parse(response.header("Retry-After"))
                    await limiter.throttled(bucket, retryAfter: retryAfter)
                    pause = max(backoff(attempt), await limiter.cooldown(bucket))
                    logger.debug(
                        "rescale.api.rate_limited",
                        metadata: [
                            "http.method": "\(request.method)", "http.path": "\(request.path)",
                            "rescale.attempt": "\(attempt)",
                            "rescale.retry_after": "\(retryAfter.map { "\($0)" } ?? "-")",
                            "rescale.pause": "\(pause)",
                        ]
                    )
                } else if response.status == 503, let retryAfter = RetryAfter.parse(response.header("Retry-After")) {
                    pause = retryAfter
                } else {
                    pause = backoff(attempt)
                }
                guard Self.mayRetry(status: response.status, request.retryClass) else { throw failure }
                if response.status >= 500 { notice = .server(status: response.status) }
            } catch let error as PlatformError {
                throw error
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                failure = APIFailure.transport(error, request: request)
                guard request.retryClass == .safe, !APIFailure.isFatalTransport(error) else { throw failure }
                pause = backoff(attempt)
                let how = APIFailure.unreachableKind(error)
                notice = .unreachable(how)
                // Waiting for an unreachable platform does not use up the call's deadline: the attempts bound
                // it, each with the whole deadline, so "attempt 3 of 11" means what it says.
                deadline = max(deadline, clock.elapsed() + pause + request.deadline)
                failure = PlatformError(
                    .transport("\(how) at \(baseURL) (\(attempt) attempt\(attempt == 1 ? "" : "s"))"),
                    retryClass: failure.retryClass
                )
            }
            let beforeBound = sendBy.map { Date().addingTimeInterval(pause.timeInterval) < $0 } ?? true
            guard attempt < options.maxAttempts, clock.elapsed() + pause < deadline, beforeBound else {
                if case .rateLimited = failure.reason { await limiter.throttled(bucket, retryAfter: nil) }
                throw failure
            }
            if let notice, let onRetry = options.onRetry {
                onRetry(
                    APIRetryNotice(
                        cause: notice,
                        delay: pause,
                        nextAttempt: attempt + 1,
                        maxAttempts: options.maxAttempts
                    )
                )
            }
            logger.debug(
                "rescale.api.retry",
                metadata: [
                    "http.method": "\(request.method)", "http.path": "\(request.path)",
                    "rescale.attempt": "\(attempt)", "rescale.pause": "\(pause)", "rescale.error": "\(failure.message)",
                ]
            )
            // A step's first stop request ends the wait: the call did not succeed and its intent stays open, as
            // after a crash, instead of holding the stop for up to ten more attempts.
            if let stop = StopSignal.current {
                if try await stop.wait({ [pause] in try await clock.sleep(pause) }) { throw StopRequested() }
            } else {
                try await clock.sleep(pause)
            }
            // A retry is a request the server counts: it waits its turn for a token like any other.
            try await takeToken(bucket)
            attempt += 1
        }
    }

    /// Takes a token of a bucket, waiting in its queue.
    ///
    /// A step's first stop request ends the wait, as it ends a retry's: the request has not been sent, so the
    /// step's intent stays open with nothing to look for. With submits paced at one per 4.2 s, a stop would
    /// otherwise wait for every queued submit's turn.
    private func takeToken(_ bucket: RateLimiter.BucketKey) async throws {
        if let stop = StopSignal.current {
            if try await stop.wait({ [limiter] in try await limiter.acquire(bucket) }) { throw StopRequested() }
        } else {
            try await limiter.acquire(bucket)
        }
    }

    /// Whether a failed status may be retried for a class: 429 always; 5xx other than 501 only when safe.
    package static func mayRetry(status: Int, _ retryClass: APIRetryClass) -> Bool {
        if status == 429 { return true }
        return retryClass == .safe && status >= 500 && status != 501
    }

    /// The full-jitter backoff before retry `attempt` (1-based): uniform in `[0, min(cap, base × 2^(attempt−1)))`.
    package func backoff(_ attempt: Int) -> Duration {
        let exponent = min(attempt - 1, 20)
        let ceiling = min(options.maxBackoff, options.baseBackoff * (1 << exponent))
        return ceiling * options.unitRandom()
    }

    private func isAccepted(_ status: Int, _ request: APIRequest) -> Bool {
        if let accepted = request.accepted { return accepted.contains(status) }
        return (200..<300).contains(status)
    }

    private func execute(_ request: APIRequest, timeout: Duration, attempt: Int) async throws -> APIResponse {
        var outgoing = HTTPClientRequest(url: baseURL.url(path: request.path))
        outgoing.method = HTTPMethod(rawValue: request.method)
        outgoing.headers.add(name: "Authorization", value: key.authorizationValue)
        outgoing.headers.add(name: "Content-Type", value: "application/json")
        outgoing.headers.add(name: "Accept", value: "application/json")
        // gzip as Rescale's API offers it; a GET follows a redirect (curl drops the key if it leaves the host; the
        // client never lets another method follow one).
        outgoing.acceptsCompressedResponses = true
        outgoing.followsRedirects = true
        if let body = request.body { outgoing.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await http.execute(outgoing, timeout: .nanoseconds(timeout.wholeNanoseconds))
        let body = try await response.body.collect(upTo: options.maxBodyBytes)
        let headers = response.headers.map { ($0.name, $0.value) }
        var metadata: Logger.Metadata = [
            "http.method": "\(request.method)", "http.path": "\(request.path)",
            "http.status": "\(response.status.code)", "rescale.attempt": "\(attempt)",
        ]
        if let remaining = response.headers.first(name: "X-RateLimit-Remaining") {
            metadata["rescale.ratelimit_remaining"] = "\(remaining)"
        }
        logger.debug("rescale.api.response", metadata: metadata)
        return APIResponse(status: Int(response.status.code), headers: headers, body: Data(body.readableBytesView))
    }
}

extension Duration {
    /// Whole nanoseconds, saturating.
    package var wholeNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? Int64.max : scaled + attoseconds / 1_000_000_000
    }
}

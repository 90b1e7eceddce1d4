import Foundation
import InterlinkCore
import InterlinkHTTP
import InterlinkTestSupport
import Logging
import Synchronization
import Testing

@testable import RescaleAPI

@Suite(.tags(.integration)) struct ClientTests {
    static let secret = "s3cr3t-key-0123456789abcdef"

    func makeClient(
        _ base: String,
        limiter: RateLimiter = RateLimiter(),
        clock: ElapsedClock = .continuous,
        logger: Logger = quietLogger
    ) throws -> RescaleAPIClient {
        var options = RescaleAPIClient.Options()
        options.unitRandom = { 0 }
        options.clock = clock
        return try RescaleAPIClient(
            baseURL: base,
            key: try #require(APIKey(Self.secret)),
            allowInsecureHost: true,
            http: HTTPClient.shared,
            limiter: limiter,
            options: options,
            logger: logger
        )
    }

    @Test func sendsTokenAndJSONHeadersToTheSlashTerminatedPath() async throws {
        let server = ScriptedServer { _, _ in
            .json(
                #"{"email":"ada@example.com","company":{"code":"acme"},"defaultStorage":{"id":"s1","storageType":"S3Storage","connectionSettings":{"region":"us-east-1","container":"b"}},"extra":1}"#
            )
        }
        let profile = try await server.run { base in try await makeClient(base).profile() }
        #expect(profile.email == "ada@example.com")
        #expect(profile.company?.code == "acme")
        #expect(profile.defaultStorage?.connectionSettings?.container == "b")
        let request = try #require(server.requests.first)
        #expect(request.path == "/api/v3/users/me/")
        #expect(request.headers["authorization"] == "Token \(Self.secret)")
        #expect(request.headers["content-type"] == "application/json")
        #expect(request.headers["accept"] == "application/json")
    }

    @Test func usesBearerForJWTKeys() throws {
        #expect(
            try #require(APIKey("eyJhbGciOi.eyJzdWIi.c2ln")).authorizationValue == "Bearer eyJhbGciOi.eyJzdWIi.c2ln"
        )
        #expect(try #require(APIKey("opaque-key")).authorizationValue == "Token opaque-key")
    }

    @Test func followsNextPagesOnTheConfiguredHostOnly() async throws {
        let server = ScriptedServer { request, _ in
            if request.path.contains("page=2") {
                return .json(#"{"count":3,"next":null,"previous":"x","results":[{"id":"c"}]}"#)
            }
            return .json(
                #"{"count":3,"next":"https://elsewhere.example.com/api/v3/jobs/?page=2&page_size=2","results":[{"id":"a","name":"n"},{"id":"b"}]}"#
            )
        }
        let jobs = try await server.run { base in try await makeClient(base).recentJobs { _ in false } }
        #expect(jobs.map(\.id) == ["a", "b", "c"])
        #expect(
            server.requests.map(\.path) == [
                "/api/v3/jobs/?ordering=-dateInserted&page_size=100", "/api/v3/jobs/?page=2&page_size=2",
            ]
        )
    }

    @Test func mapsStatusesToActions() async throws {
        let server = ScriptedServer { request, _ in
            switch request.path {
            case "/api/v3/users/me/": Reply.json(#"{"detail":"Invalid token."}"#, status: 401)
            case "/api/v3/files/f/": Reply.json(#"{"detail":"Not found."}"#, status: 404)
            case "/api/v3/users/me/folders/": Reply.json(#"{"detail":"You do not have permission."}"#, status: 403)
            default: Reply.json(#"{"jobanalyses":[{"hardware":{"coresPerSlot":["not allowed"]}}]}"#, status: 400)
            }
        }
        try await server.run { base in
            let client = try makeClient(base)
            let unauthorized = await #expect(throws: PlatformError.self) { try await client.profile() }
            #expect(unauthorized?.retryClass == .credential)
            #expect(unauthorized?.help?.contains("rescale-int config init") == true)
            #expect(unauthorized?.message.contains("Invalid token.") == true)
            let missing = await #expect(throws: PlatformError.self) { try await client.file("f") }
            #expect(missing?.reason == .notFound("/api/v3/files/f/"))
            let forbidden = await #expect(throws: PlatformError.self) { try await client.rootFolders() }
            #expect(forbidden?.retryClass == .fatal)
            #expect(forbidden?.reason == .rejected(status: 403, message: "You do not have permission."))
            let invalid = await #expect(throws: PlatformError.self) { try await client.submitJob("j") }
            #expect(invalid?.message.contains("jobanalyses.hardware.coresPerSlot: not allowed") == true)
        }
        #expect(server.requests.count == 4)
    }

    @Test func retriesServerErrorsOnlyWhenSafe() async throws {
        let server = ScriptedServer { request, previous in
            previous == 0
                ? Reply.json(#"{"detail":"boom"}"#, status: 502)
                : Reply.json(#"{"id":"j1","myLibrary":"L"}"#, status: 201)
        }
        try await server.run { base in
            let client = try makeClient(base)
            let folders = try await client.rootFolders()
            #expect(folders.myLibrary == "L")
            let body = JobCreateBody(
                name: "n",
                jobanalyses: [],
                isLowPriority: false,
                projectId: nil,
                jobAutomations: nil
            )
            let failure = await #expect(throws: PlatformError.self) { try await client.createJob(body) }
            #expect(failure?.retryClass == .needsReconcile)
        }
        let paths = server.requests.map(\.path)
        #expect(paths.filter { $0 == "/api/v3/users/me/folders/" }.count == 2)
        #expect(paths.filter { $0 == "/api/v3/jobs/" }.count == 1)
    }

    @Test func reportsEachRetryOfAServerErrorAsItIsScheduled() async throws {
        let server = ScriptedServer { _, previous in
            previous < 2 ? Reply.json(#"{"detail":"busy"}"#, status: 503) : Reply.json(#"{"myLibrary":"L"}"#)
        }
        let notices = NoticeLog()
        try await server.run { base in
            var client = try makeClient(base)
            client.options.maxAttempts = 4
            client.options.onRetry = { notices.append($0) }
            #expect(try await client.rootFolders().myLibrary == "L")
        }
        let seen = notices.all
        #expect(seen.map(\.nextAttempt) == [2, 3])
        #expect(seen.allSatisfy { $0.cause == .server(status: 503) && $0.maxAttempts == 4 })
        #expect(seen.first?.description == "platform failed (status 503): retrying in 0 s, attempt 2 of 4")
    }

    @Test func anUnreachablePlatformIsRetriedToTheLastAttemptAndNamedOnce() async throws {
        // Bind a port and close it: nothing listens there.
        let port = try await ScriptedServer { _, _ in .json("{}") }.run { base in base }
        let notices = NoticeLog()
        // The process's client as the CLI makes it: a refused connection fails its attempt at once.
        let http = HTTPClient(configuration: HTTPClientFactory.configuration(environment: [:]))
        var options = RescaleAPIClient.Options()
        options.unitRandom = { 0 }
        options.maxAttempts = 3
        options.onRetry = { notices.append($0) }
        let client = try RescaleAPIClient(
            baseURL: port,
            key: try #require(APIKey(Self.secret)),
            allowInsecureHost: true,
            http: http,
            limiter: RateLimiter(),
            options: options,
            logger: quietLogger
        )
        let started = ContinuousClock.now
        let failure = await #expect(throws: PlatformError.self) { try await client.rootFolders() }
        try await http.shutdown()
        #expect(ContinuousClock.now - started < .seconds(5))
        let seen = notices.all
        #expect(
            seen.map(\.description) == [
                "platform unreachable (connection refused): retrying in 0 s, attempt 2 of 3",
                "platform unreachable (connection refused): retrying in 0 s, attempt 3 of 3",
            ]
        )
        #expect(failure?.message == "connection to the platform failed: connection refused at \(port) (3 attempts)")
        #expect(failure?.retryClass == .retryable)
    }

    /// A step's stop request ends the client's wait before a retry at once.
    ///
    /// The wait here is 20 s, and no further attempt is sent; a stop raised before the wait skips it. Without a
    /// signal the loop is unchanged (the tests above).
    @Test(arguments: [false, true])
    func aStopRequestEndsARetryWaitWithoutAnotherAttempt(stopBeforeTheWait: Bool) async throws {
        let server = ScriptedServer { _, _ in Reply.json(#"{"detail":"busy"}"#, status: 503) }
        let stop = StopSignal()
        let notices = NoticeLog()
        let end = try await server.run { base in
            var client = try makeClient(base)
            // 20 s: within the call's 30 s deadline, so the client would wait it out.
            client.options.baseBackoff = .seconds(40)
            client.options.maxBackoff = .seconds(40)
            client.options.unitRandom = { 0.5 }
            client.options.onRetry = { notice in
                notices.append(notice)
                if stopBeforeTheWait { stop.requestStop() }
            }
            let ready = client
            return try await Self.callUnderStop(stop) {
                _ = try await ready.rootFolders()
            } stopper: {
                // The notice comes just before the wait begins.
                while notices.all.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
                try await Task.sleep(for: .milliseconds(100))
                stop.requestStop()
            }
        }
        #expect(end.stoppedWithin(.seconds(10)), "the stop waited out the retry: \(end)")
        #expect(server.requests.count == 1, "an attempt was sent after the stop")
        #expect(notices.all.map(\.delay) == [.seconds(20)])
    }

    /// A step's stop request ends a wait for a token before anything is sent.
    ///
    /// The call throws `StopRequested` at once, where the bucket would give it a token in 100 s. Without a signal
    /// the call waits its turn (the limiter's tests).
    @Test func aStopRequestEndsTheWaitForATokenWithNothingSent() async throws {
        let server = ScriptedServer { _, _ in Reply.json(#"{"results":[],"next":null}"#) }
        let stop = StopSignal()
        // One token, then one per 100 s: the second call waits far longer than the test.
        let limiter = RateLimiter { _ in RateLimit(tokensPerSecond: 0.01, capacity: 1) }
        let end = try await server.run { base in
            let client = try makeClient(base, limiter: limiter)
            _ = try await client.rootFolders()
            return try await Self.callUnderStop(stop) {
                _ = try await client.rootFolders()
            } stopper: {
                try await Task.sleep(for: .milliseconds(300))
                stop.requestStop()
            }
        }
        #expect(end.stoppedWithin(.seconds(10)), "the stop waited for the token: \(end)")
        #expect(server.requests.count == 1, "a request was sent after the stop")
    }

    /// How a call made under a stop signal ended.
    enum CallEnd: Sendable, CustomStringConvertible {
        case succeeded
        case stopped(after: Duration)

        /// Whether the call threw `StopRequested` within `limit` of its start.
        func stoppedWithin(_ limit: Duration) -> Bool {
            if case .stopped(let after) = self { return after < limit }
            return false
        }

        var description: String {
            switch self {
            case .succeeded: "succeeded"
            case .stopped(let after): "stopped after \(after)"
            }
        }
    }

    /// Makes `call` as a step's work would, with `stop` as the step's signal, while `stopper` raises it.
    ///
    /// - Returns: Whether the call succeeded or threw `StopRequested`, and when.
    static func callUnderStop(
        _ stop: StopSignal,
        _ call: @escaping @Sendable () async throws -> Void,
        stopper: @escaping @Sendable () async throws -> Void
    ) async throws -> CallEnd {
        let started = ContinuousClock.now
        return try await withThrowingTaskGroup(of: CallEnd?.self) { group in
            group.addTask {
                do {
                    try await StopSignal.$current.withValue(stop) { try await call() }
                    return .succeeded
                } catch is StopRequested {
                    return .stopped(after: ContinuousClock.now - started)
                }
            }
            group.addTask {
                try await stopper()
                return nil
            }
            var end: CallEnd?
            while let next = try await group.next() {
                if let next { end = next }
            }
            return try #require(end)
        }
    }

    @Test func retryWaitsReadInSecondsForPeople() {
        #expect(APIRetryNotice.seconds(.milliseconds(400)) == "0.4 s")
        #expect(APIRetryNotice.seconds(.seconds(8)) == "8 s")
        #expect(APIRetryNotice.seconds(.milliseconds(12_600)) == "13 s")
    }

    @Test func honoursRetryAfterOn429EvenForCreate() async throws {
        let server = ScriptedServer { _, previous in
            previous == 0
                ? Reply(status: 429, body: #"{"detail":"throttled"}"#, headers: ["Retry-After": "1"])
                : Reply.json(#"{"id":"j1"}"#, status: 201)
        }
        // The limiter and the retry loop share a test clock, so the wait is measured exactly, whatever the load.
        let testClock = TestClock()
        let clock = ElapsedClock(testClock)
        let job = try await server.run { base in
            try await makeClient(base, limiter: RateLimiter(clock: clock), clock: clock).createJob(
                JobCreateBody(name: "n", jobanalyses: [], isLowPriority: false, projectId: nil, jobAutomations: nil)
            )
        }
        #expect(job.id == "j1")
        #expect(server.requests.count == 2)
        #expect(testClock.sleeps.reduce(.zero, +) >= .seconds(1))
        #expect(testClock.sleeps.allSatisfy { $0 <= .seconds(1) })
    }

    @Test func aRetryAfterA429TakesATokenOnceTheCooldownEnds() async throws {
        let server = ScriptedServer { _, previous in
            previous < 2
                ? Reply(status: 429, body: #"{"detail":"throttled"}"#, headers: ["Retry-After": "1"])
                : Reply.json(#"{"email":"ada@example.com"}"#)
        }
        let testClock = TestClock()
        let clock = ElapsedClock(testClock)
        let limiter = RateLimiter(clock: clock) { _ in RateLimit(tokensPerSecond: 4, capacity: 10) }
        _ = try await server.run { base in try await makeClient(base, limiter: limiter, clock: clock).profile() }
        #expect(server.requests.count == 3)
        // Each retry: the cooldown, then a token from the bucket that was emptied and refills from the cooldown's
        // end (250 ms at 4 per second), never the nine tokens left from before the 429.
        #expect(testClock.sleeps == [.seconds(1), .milliseconds(250), .seconds(1), .milliseconds(250)])
    }

    @Test func neverRevealsTheKeyInTextLogsOrErrors() async throws {
        let key = try #require(APIKey(Self.secret))
        var dumped = ""
        dump(key, to: &dumped)
        for text in ["\(key)", String(reflecting: key), dumped, key.masked, "\([key])"] {
            #expect(!text.contains(Self.secret))
        }
        #expect(key.masked == "****cdef")
        let sink = LineSink()
        let logger = Logger(label: "capture") { _ in CapturingHandler(sink: sink) }
        let server = ScriptedServer { _, _ in .json(#"{"detail":"Invalid token."}"#, status: 401) }
        let failure = try await server.run { base in
            var client = try makeClient(base, logger: logger)
            client.logger.logLevel = .trace
            return await #expect(throws: PlatformError.self) { try await client.profile() }
        }
        #expect(!String(describing: failure).contains(Self.secret))
        #expect(!sink.lines.isEmpty)
        #expect(!sink.lines.joined().contains(Self.secret))
    }
}

/// The retry notices a client reported, in order.
final class NoticeLog: Sendable {
    private let notices = Mutex<[APIRetryNotice]>([])
    /// Everything reported so far.
    var all: [APIRetryNotice] { notices.withLock { $0 } }
    /// Records one.
    func append(_ notice: APIRetryNotice) { notices.withLock { $0.append(notice) } }
}

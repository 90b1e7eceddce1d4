import Foundation
import InterlinkTestSupport
import NIOCore
import Testing

@testable import InterlinkStorage

@Suite struct RetryTests {
    @Test func backoffCapsFollowTheSpecTable() {
        let caps = (0..<9).map { RetryPolicy.storage.backoffCap(beforeRetry: $0) }
        let expected: [Duration] = [
            .zero, .milliseconds(400), .milliseconds(800), .milliseconds(1600), .milliseconds(3200),
            .milliseconds(6400), .milliseconds(12800), .seconds(15), .seconds(15),
        ]
        #expect(caps == expected)
        #expect(RetryPolicy.storage.backoff(beforeRetry: 3, unitRandom: 0.5) == .milliseconds(800))
    }

    @Test(
        arguments: [
            (400, "ExpiredToken", StorageErrorClass.credential), (403, "AuthenticationFailed", .credential),
            (403, nil, .credential), (400, "RequestTimeout", .retryable), (503, "SlowDown", .retryable),
            (500, nil, .retryable), (429, nil, .retryable), (404, "NoSuchUpload", .fatal),
            (400, "InvalidArgument", .fatal),
            (407, nil, .fatal), (409, nil, .fatal), (503, "ServerBusy", .retryable),
        ] as [(Int, String?, StorageErrorClass)]
    )
    func classifiesByStatusAndCode(status: Int, code: String?, expected: StorageErrorClass) {
        #expect(StorageErrorClass(status: status, code: code) == expected)
    }

    func makeClient(_ transport: ScriptedTransport, clock: TestClock, cache: CredentialCache<AWSCredentials>)
        -> S3Client
    {
        S3Client(
            transport: transport,
            endpoint: .custom(scheme: "http", host: "127.0.0.1", port: 9),
            bucket: "bucket",
            region: "us-east-1",
            credentials: cache,
            retrier: StorageRetrier(clock: clock, unitRandom: { 0.5 }, logger: quietLogger)
        )
    }

    @Test func retriesServerErrorsWithJitteredBackoff() async throws {
        let transport = ScriptedTransport([
            ScriptedTransport.error(503, code: "SlowDown"), ScriptedTransport.error(500, code: "InternalError"),
            .failure(ChannelError.connectTimeout(.seconds(1))),
            .response(StorageResponse(status: 200, headers: [("Content-Length", "7")])),
        ])
        let clock = TestClock()
        let wall = ManualWallClock()
        let cache = CredentialCache(provider: CountingProvider(clock: wall), now: wall.now)
        let properties = try await makeClient(transport, clock: clock, cache: cache).properties(of: ObjectKey("k"))
        #expect(properties.size == 7)
        #expect(transport.requests.count == 4)
        #expect(clock.sleeps == [.milliseconds(200), .milliseconds(400)])
    }

    @Test func stopsAtOnceOnFatalErrorsAndKeepsTheServiceCode() async throws {
        let transport = ScriptedTransport([ScriptedTransport.error(404, code: "NoSuchKey")])
        let wall = ManualWallClock()
        let cache = CredentialCache(provider: CountingProvider(clock: wall), now: wall.now)
        let error = await #expect(throws: StorageError.self) {
            try await makeClient(transport, clock: TestClock(), cache: cache).properties(of: ObjectKey("k"))
        }
        #expect(error?.reason == .service(status: 404, code: "NoSuchKey", message: "scripted"))
        #expect(transport.requests.count == 1)
    }

    @Test func givesUpAfterTenAttempts() async throws {
        let transport = ScriptedTransport(Array(repeating: ScriptedTransport.error(503, code: "SlowDown"), count: 20))
        let wall = ManualWallClock()
        let cache = CredentialCache(provider: CountingProvider(clock: wall), now: wall.now)
        await #expect(throws: StorageError.self) {
            try await makeClient(transport, clock: TestClock(), cache: cache).properties(of: ObjectKey("k"))
        }
        #expect(transport.requests.count == 10)
    }

    @Test func credentialErrorForcesARefreshAndReSigns() async throws {
        let transport = ScriptedTransport([
            ScriptedTransport.error(400, code: "ExpiredToken"),
            .response(StorageResponse(status: 200, headers: [("Content-Length", "1")])),
        ])
        let clock = TestClock()
        let wall = ManualWallClock()
        let provider = CountingProvider(clock: wall)
        let cache = CredentialCache(provider: provider, now: wall.now)
        _ = try await makeClient(transport, clock: clock, cache: cache).properties(of: ObjectKey("k"))
        #expect(await provider.fetches == 2)
        #expect(clock.sleeps == [.seconds(1)])
        #expect(transport.requests.count == 2)
        #expect(transport.requests[0].headers.contains { $0.1.contains("Credential=AKID1/") })
        #expect(transport.requests[1].headers.contains { $0.1.contains("Credential=AKID2/") })
    }

    /// An abort is the cleanup of a failed upload: a server error and a dropped connection are tried again, with
    /// the retrier's backoff, until S3 answers.
    @Test func anAbortIsSentAgainAfterAServerErrorAndADroppedConnection() async throws {
        let transport = ScriptedTransport([
            ScriptedTransport.error(500, code: "InternalError"),
            .failure(ChannelError.connectTimeout(.seconds(1))),
            .response(StorageResponse(status: 204)),
        ])
        let clock = TestClock()
        let wall = ManualWallClock()
        let cache = CredentialCache(provider: CountingProvider(clock: wall), now: wall.now)
        try await makeClient(transport, clock: clock, cache: cache).abortUpload(Self.session)
        #expect(transport.requests.map(\.method) == ["DELETE", "DELETE", "DELETE"])
        #expect(transport.requests.allSatisfy { $0.url.contains("uploadId=U1") })
        #expect(clock.sleeps == [.milliseconds(200), .milliseconds(400)])
    }

    /// An abort gives up after four attempts with the last error; a fatal answer stops it at once, and a missing
    /// upload counts as aborted.
    @Test func anAbortGivesUpAfterFourAttemptsAndStopsOnAFatalAnswer() async throws {
        let wall = ManualWallClock()
        let cache = CredentialCache(provider: CountingProvider(clock: wall), now: wall.now)
        let busy = ScriptedTransport(Array(repeating: ScriptedTransport.error(503, code: "SlowDown"), count: 20))
        let error = await #expect(throws: StorageError.self) {
            try await makeClient(busy, clock: TestClock(), cache: cache).abortUpload(Self.session)
        }
        #expect(error?.reason == .service(status: 503, code: "SlowDown", message: "scripted"))
        #expect(busy.requests.count == S3Client.abortAttempts)

        let refused = ScriptedTransport([ScriptedTransport.error(400, code: "InvalidArgument")])
        await #expect(throws: StorageError.self) {
            try await makeClient(refused, clock: TestClock(), cache: cache).abortUpload(Self.session)
        }
        #expect(refused.requests.count == 1)

        let gone = ScriptedTransport([ScriptedTransport.error(404, code: "NoSuchUpload")])
        try await makeClient(gone, clock: TestClock(), cache: cache).abortUpload(Self.session)
        #expect(gone.requests.count == 1)
    }

    /// A cancelled upload is still cleaned up: the abort's attempts go on in a cancelled task.
    @Test func anAbortFromACancelledTaskIsStillSentAgain() async throws {
        let transport = ScriptedTransport([
            ScriptedTransport.error(503, code: "SlowDown"), .response(StorageResponse(status: 204)),
        ])
        let wall = ManualWallClock()
        let cache = CredentialCache(provider: CountingProvider(clock: wall), now: wall.now)
        let client = makeClient(transport, clock: TestClock(), cache: cache)
        _ = try await cache.current()
        // A task of its own, cancelled before the abort starts: cancelling the test's own task would end the test.
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await client.abortUpload(Self.session)
        }
        try await task.value
        #expect(transport.requests.count == 2)
    }

    private static let session = UploadSession(key: ObjectKey("k"), uploadID: "U1", metadata: ObjectMetadata())

    @Test func givesUpWhenTheDeadlineCannotFitTheNextSleep() async throws {
        let transport = ScriptedTransport(Array(repeating: ScriptedTransport.error(503, code: "SlowDown"), count: 20))
        let retrier = StorageRetrier(clock: TestClock(), unitRandom: { 0.99 }, logger: quietLogger)
        let error = await #expect(throws: StorageError.self) {
            try await retrier.run("op", budget: .seconds(2)) { _ -> Int in
                _ = try await transport.send(
                    StorageRequest(method: "GET", url: "x"),
                    timeout: .seconds(1),
                    maxBodyBytes: 10
                )
                throw StorageError(.service(status: 503, code: "SlowDown", message: nil), operation: "op")
            }
        }
        #expect(error?.reason == .deadlineExceeded)
        #expect(transport.requests.count == 4)
    }
}

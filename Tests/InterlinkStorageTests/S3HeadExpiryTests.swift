import Foundation
import InterlinkTestSupport
import NIOCore
import Testing

@testable import InterlinkStorage

/// S3 answers a `HEAD` signed with an expired session token with a bare 400: no body, so no `ExpiredToken` code.
@Suite struct S3HeadExpiryTests {
    /// Temporary credentials (with a session token), numbered by fetch.
    actor SessionProvider: StorageCredentialProvider {
        private(set) var fetches = 0
        let temporary: Bool

        init(temporary: Bool) { self.temporary = temporary }

        func fetchCredential() async throws -> (value: AWSCredentials, expiration: Date?) {
            fetches += 1
            let token = temporary ? "token\(fetches)" : nil
            return (AWSCredentials(accessKeyID: "AKID\(fetches)", secretAccessKey: "s", sessionToken: token), nil)
        }
    }

    static let bare400 = ScriptedTransport.Reply.response(StorageResponse(status: 400))
    static let found = ScriptedTransport.Reply.response(
        StorageResponse(status: 200, headers: [("Content-Length", "9")])
    )

    func makeClient(_ transport: ScriptedTransport, _ provider: SessionProvider, clock: TestClock) -> S3Client {
        S3Client(
            transport: transport,
            endpoint: .custom(scheme: "http", host: "127.0.0.1", port: 9),
            bucket: "bucket",
            region: "us-east-1",
            credentials: CredentialCache(provider: provider),
            retrier: StorageRetrier(clock: clock, unitRandom: { 0.5 }, logger: quietLogger)
        )
    }

    @Test func bareHeadRejectionWithTemporaryCredentialsRefreshesOnceAndRetries() async throws {
        let transport = ScriptedTransport([Self.bare400, Self.found])
        let provider = SessionProvider(temporary: true)
        let clock = TestClock()
        let properties = try await makeClient(transport, provider, clock: clock).properties(of: ObjectKey("k"))
        #expect(properties.size == 9)
        #expect(await provider.fetches == 2)
        #expect(clock.sleeps == [.seconds(1)])
        #expect(transport.requests.count == 2)
        #expect(transport.requests[1].headers.contains { $0.0 == "x-amz-security-token" && $0.1 == "token2" })
    }

    @Test func aSecondBareHeadRejectionIsFatal() async throws {
        let transport = ScriptedTransport([Self.bare400, Self.bare400, Self.found])
        let provider = SessionProvider(temporary: true)
        let error = await #expect(throws: StorageError.self) {
            try await makeClient(transport, provider, clock: TestClock()).properties(of: ObjectKey("k"))
        }
        #expect(error?.reason == .service(status: 400, code: nil, message: nil))
        #expect(error?.errorClass == .fatal)
        #expect(await provider.fetches == 2)
        #expect(transport.requests.count == 2)
    }

    @Test func bareHeadRejectionWithPermanentKeysStaysFatal() async throws {
        let transport = ScriptedTransport([Self.bare400, Self.found])
        let provider = SessionProvider(temporary: false)
        await #expect(throws: StorageError.self) {
            try await makeClient(transport, provider, clock: TestClock()).properties(of: ObjectKey("k"))
        }
        #expect(await provider.fetches == 1)
        #expect(transport.requests.count == 1)
    }

    @Test func bareRejectionOfAGetStaysFatal() async throws {
        let transport = ScriptedTransport([Self.bare400, .response(StorageResponse(status: 206, body: ByteBuffer()))])
        let provider = SessionProvider(temporary: true)
        await #expect(throws: StorageError.self) {
            _ = try await makeClient(transport, provider, clock: TestClock()).read(ObjectKey("k"), range: 0...0)
        }
        #expect(await provider.fetches == 1)
        #expect(transport.requests.count == 1)
    }
}

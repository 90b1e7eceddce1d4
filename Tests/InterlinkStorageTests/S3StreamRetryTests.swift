import Foundation
import InterlinkHTTP
import InterlinkTestSupport
import NIOCore
import Synchronization
import Testing

@testable import InterlinkStorage

/// Fails the first attempt of one part after reading a chunk of its streamed body, and records the payload hashes.
private struct FlakyTransport: StorageTransport {
    let inner: HTTPClientTransport
    let failingPart: String
    let state = Shared()

    final class Shared: Sendable {
        let failed = Mutex(false)
        let payloads = Mutex<[String]>([])
    }

    func send(_ request: StorageRequest, timeout: Duration, maxBodyBytes: Int) async throws -> StorageResponse {
        if let stream = request.stream {
            let payload = request.headers.first { $0.0 == "x-amz-content-sha256" }?.1 ?? ""
            state.payloads.withLock { $0.append(payload) }
            let fail = request.url.contains("partNumber=\(failingPart)&") && !state.failed.withLock { $0 }
            if fail {
                state.failed.withLock { $0 = true }
                var iterator = stream.chunks.makeAsyncIterator()
                _ = try await iterator.next()
                throw DroppedConnection()
            }
        }
        return try await inner.send(request, timeout: timeout, maxBodyBytes: maxBodyBytes)
    }

    func sendIgnoringCancellation(_ request: StorageRequest, timeout: Duration) async throws -> StorageResponse {
        try await inner.sendIgnoringCancellation(request, timeout: timeout)
    }
}

private struct DroppedConnection: Error {}

@Suite(.tags(.integration)) struct S3StreamRetryTests {
    /// A streamed part whose first attempt dies mid-body is produced again from its checkpoint (the replay), sent
    /// unsigned with its CRC-32 in a trailer, and the object is byte-identical.
    @Test(.disabled(if: MotoServer.isWaived, Comment(rawValue: MotoServer.waivedComment)))
    func aRetriedStreamedPartIsProducedAgainFromItsCheckpoint() async throws {
        guard let url = motoEndpoint(), let endpoint = S3Endpoint.custom(url: url) else { return }
        let bucket = "interlink-\(UUID().uuidString.lowercased().prefix(13))"
        let credentials = CredentialCache(
            provider: StaticCredentialProvider(
                AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing", sessionToken: nil)
            )
        )
        let flaky = FlakyTransport(inner: HTTPClientTransport(client: HTTPClient.shared), failingPart: "2")
        let fast = RetryPolicy(
            maxAttempts: 3,
            base: .milliseconds(1),
            cap: .milliseconds(5),
            credentialPause: .milliseconds(1)
        )
        let make: @Sendable () -> S3Client = {
            S3Client(
                transport: flaky,
                endpoint: endpoint,
                bucket: bucket,
                region: "us-east-1",
                credentials: credentials,
                retrier: StorageRetrier(policy: fast, logger: quietLogger)
            )
        }
        try await make().createBucket()
        let matrix = TransferMatrix(makeStore: make, partSize: 5 << 20)
        let bytes = patternBytes(count: (5 << 20) * 3 + 4321, seed: 11)
        let replays = ReplayCount()
        let key = matrix.uniqueKey("retried")
        let final = try await ConcurrentUploader(store: make(), window: 2, logger: quietLogger).upload(
            to: key,
            metadata: .streaming(iv: "oKGio6SlpqeoqaqrrK2urw==", partSize: 5 << 20),
            partSize: 5 << 20,
            streamingFrom: BytesStreamSource(bytes: bytes, partSize: 5 << 20, chunkSize: 1 << 20, replays: replays),
            expectedBytes: Int64(bytes.count)
        )
        #expect(final.completedParts.map(\.number) == [1, 2, 3, 4])
        #expect(flaky.state.failed.withLock { $0 })
        #expect(replays.value == 1)
        // Unsigned, with each part's CRC-32 in a trailer (the upload is created with CRC32).
        #expect(flaky.state.payloads.withLock { $0 } == Array(repeating: S3ChecksumTrailer.payloadHash, count: 5))
        #expect(try await matrix.download(key, size: Int64(bytes.count)) == bytes)
    }
}

import Foundation
import InterlinkHTTP
import InterlinkTestSupport
import Testing

@testable import InterlinkStorage

/// The transfer matrix against a real moto_server (`INTERLINK_TEST_S3_ENDPOINT`).
@Suite(.tags(.integration)) struct S3ClientTests {
    static let partSize = 5 * 1024 * 1024

    func withMatrix(_ body: (TransferMatrix, S3Client) async throws -> Void) async throws {
        guard let url = motoEndpoint(), let endpoint = S3Endpoint.custom(url: url) else { return }
        let bucket = "interlink-\(UUID().uuidString.lowercased().prefix(13))"
        let credentials = CredentialCache(
            provider: StaticCredentialProvider(
                AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing", sessionToken: "token")
            )
        )
        let transport = HTTPClientTransport(client: HTTPClient.shared)
        let make: @Sendable () -> S3Client = {
            S3Client(
                transport: transport,
                endpoint: endpoint,
                bucket: bucket,
                region: "us-east-1",
                credentials: credentials,
                retrier: StorageRetrier(logger: quietLogger)
            )
        }
        try await make().createBucket()
        try await body(TransferMatrix(makeStore: make, partSize: Self.partSize), make())
    }

    @Test func picksTheS3EndpointFromTheEnvironmentLikeTheAWSTools() {
        let both = ["AWS_ENDPOINT_URL_S3": "http://127.0.0.1:5000", "AWS_ENDPOINT_URL": "http://other:1"]
        #expect(
            S3Endpoint.resolve(environment: both, region: "r", fips: false)
                == .custom(scheme: "http", host: "127.0.0.1", port: 5000)
        )
        #expect(
            S3Endpoint.resolve(environment: ["AWS_ENDPOINT_URL": "https://minio.local"], region: "r", fips: false)
                == .custom(scheme: "https", host: "minio.local", port: nil)
        )
        let fips = S3Endpoint.resolve(environment: [:], region: "us-gov-west-1", fips: true)
        #expect(
            fips.request("GET", bucket: "b", key: ObjectKey("a b")).url
                == "https://b.s3-fips.us-gov-west-1.amazonaws.com/a%20b"
        )
    }

    @Test(.disabled(if: MotoServer.isWaived, Comment(rawValue: MotoServer.waivedComment)))
    func storesASmallObjectWithOnePut() async throws {
        try await withMatrix { matrix, _ in try await matrix.singlePutHeadAndRangedRead() }
    }

    @Test(.disabled(if: MotoServer.isWaived, Comment(rawValue: MotoServer.waivedComment)))
    func uploadsSeveralPartsConcurrentlyWithMetadata() async throws {
        try await withMatrix { matrix, _ in try await matrix.multipartWithSeveralParts() }
    }

    @Test(.disabled(if: MotoServer.isWaived, Comment(rawValue: MotoServer.waivedComment)))
    func streamsLargePartsWithBoundedBytesInFlight() async throws {
        try await withMatrix { matrix, _ in try await matrix.streamsLargePartsWithBoundedBytesInFlight() }
    }

    @Test(.disabled(if: MotoServer.isWaived, Comment(rawValue: MotoServer.waivedComment)))
    func streamsPartsGatheredOneAtATime() async throws {
        try await withMatrix { matrix, _ in
            try await matrix.streamsLargePartsWithBoundedBytesInFlight(gathering: true)
        }
    }

    @Test(.disabled(if: MotoServer.isWaived, Comment(rawValue: MotoServer.waivedComment)))
    func refusesToCompleteWhenBytesAreMissing() async throws {
        try await withMatrix { matrix, _ in try await matrix.refusesToCompleteWithMissingBytes() }
    }

    @Test(.disabled(if: MotoServer.isWaived, Comment(rawValue: MotoServer.waivedComment)))
    func abortsTheUploadWhenTheSourceFails() async throws {
        try await withMatrix { matrix, client in
            let session = try await matrix.abortsOnFailure()
            let error = await #expect(throws: StorageError.self) { _ = try await client.listParts(of: session) }
            #expect(
                error?.reason
                    == .service(
                        status: 404,
                        code: "NoSuchUpload",
                        message: error.flatMap {
                            if case .service(_, _, let message) = $0.reason { message } else { nil }
                        }
                    )
            )
        }
    }

    @Test(.disabled(if: MotoServer.isWaived, Comment(rawValue: MotoServer.waivedComment)))
    func resumesAnUploadFromTheJournaledCheckpoint() async throws {
        try await withMatrix { matrix, _ in try await matrix.resumesAnUploadCancelledHalfWay() }
    }

    @Test(.disabled(if: MotoServer.isWaived, Comment(rawValue: MotoServer.waivedComment)))
    func resumesADownloadFromTheVerifiedPrefix() async throws {
        try await withMatrix { matrix, _ in try await matrix.resumesADownloadCancelledHalfWay() }
    }
}

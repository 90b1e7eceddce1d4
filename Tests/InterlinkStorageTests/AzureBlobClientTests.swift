import Foundation
import InterlinkHTTP
import InterlinkTestSupport
import RescaleSim
import Testing

@testable import InterlinkStorage

/// The transfer matrix against the fake Azure Blob service, authorised with a container SAS.
@Suite(.tags(.integration)) struct AzureBlobClientTests {
    static let partSize = 64 * 1024

    func withMatrix(_ body: (TransferMatrix, AzureBlobClient, BlobServer) async throws -> Void) async throws {
        let server = BlobServer()
        try await server.store.createContainer("storage")
        let token = server.sas.token(
            container: "storage",
            blob: nil,
            permissions: "rcw",
            expiry: Date().addingTimeInterval(3600)
        )
        try await server.run(logger: quietLogger) { accountURL in
            let credentials = CredentialCache(provider: StaticCredentialProvider(AzureSAS("?" + token)))
            let transport = HTTPClientTransport(client: HTTPClient.shared)
            let make: @Sendable () -> AzureBlobClient = {
                AzureBlobClient(
                    transport: transport,
                    accountURL: accountURL,
                    container: "storage",
                    credentials: credentials,
                    retrier: StorageRetrier(logger: quietLogger)
                )
            }
            try await body(TransferMatrix(makeStore: make, partSize: Self.partSize), make(), server)
        }
    }

    @Test func namesBlocksAsTheSpecSays() {
        #expect(AzureBlobClient.blockID(forPart: 1) == "YmxvY2stMDAwMDAwMDAwMA==")
        #expect(AzureBlobClient.blockID(forPart: 2) == "YmxvY2stMDAwMDAwMDAwMQ==")
        #expect(AzureBlobClient.partNumber(ofBlockID: "YmxvY2stMDAwMDAwMDAwMQ==") == 2)
    }

    @Test func storesASmallBlobWithPutBlob() async throws {
        try await withMatrix { matrix, _, _ in try await matrix.singlePutHeadAndRangedRead() }
    }

    @Test func uploadsBlocksAndSetsMetadataAtCommit() async throws {
        try await withMatrix { matrix, _, _ in try await matrix.multipartWithSeveralParts() }
    }

    @Test func streamsLargeBlocksWithBoundedBytesInFlight() async throws {
        try await withMatrix { matrix, _, _ in try await matrix.streamsLargePartsWithBoundedBytesInFlight() }
    }

    @Test func refusesToCommitWhenBytesAreMissing() async throws {
        try await withMatrix { matrix, _, _ in try await matrix.refusesToCompleteWithMissingBytes() }
    }

    @Test func leavesNoBlobWhenTheSourceFails() async throws {
        try await withMatrix { matrix, client, _ in
            let session = try await matrix.abortsOnFailure()
            // Azure has no abort: at most the two produced blocks stay staged, and nothing is committed.
            let staged = (try? await client.listParts(of: session)) ?? []
            #expect(staged.count <= 2)
        }
    }

    @Test func resumesAnUploadFromTheJournaledCheckpoint() async throws {
        try await withMatrix { matrix, _, _ in try await matrix.resumesAnUploadCancelledHalfWay() }
    }

    @Test func resumesADownloadFromTheVerifiedPrefix() async throws {
        try await withMatrix { matrix, _, _ in try await matrix.resumesADownloadCancelledHalfWay() }
    }

    @Test func refreshesTheSASAfterAuthenticationFailed() async throws {
        let server = BlobServer()
        try await server.store.createContainer("storage")
        let expired = server.sas.token(
            container: "storage",
            blob: nil,
            permissions: "rcw",
            expiry: Date().addingTimeInterval(-60)
        )
        let valid = server.sas.token(
            container: "storage",
            blob: nil,
            permissions: "rcw",
            expiry: Date().addingTimeInterval(3600)
        )
        let provider = SequenceProvider(tokens: [expired, valid])
        try await server.run(logger: quietLogger) { accountURL in
            let client = AzureBlobClient(
                transport: HTTPClientTransport(client: HTTPClient.shared),
                accountURL: accountURL,
                container: "storage",
                credentials: CredentialCache(provider: provider),
                retrier: StorageRetrier(clock: TestClock(), logger: quietLogger)
            )
            try await client.putObject(.init(bytes: [1, 2, 3]), at: ObjectKey("x"), metadata: ObjectMetadata())
            #expect(try await client.properties(of: ObjectKey("x")).size == 3)
            #expect(await provider.served == 2)
        }
    }
}

/// Hands out the given SAS tokens in order, repeating the last.
actor SequenceProvider: StorageCredentialProvider {
    let tokens: [String]
    private(set) var served = 0
    init(tokens: [String]) { self.tokens = tokens }
    func fetchCredential() async throws -> (value: AzureSAS, expiration: Date?) {
        defer { served += 1 }
        return (AzureSAS(tokens[min(served, tokens.count - 1)]), nil)
    }
}

import Foundation
import InterlinkCrypto
import InterlinkTestSupport
import Logging
import RescaleSim
import Testing

@Suite(.tags(.integration)) struct BlobServerSDKTests {
    struct Observed: Decodable {
        var size: Int
        var metadata: [String: String]
        var sha256: String
        var rangeOk: Bool
        var tailOk: Bool
        var wholeOk: Bool
        var small: String
        var smallMetadata: [String: String]
        var readOnlyWrite: String
        var wrongBlob: String
        var expired: String
        var missing: String
    }

    @Test func microsoftsSDKUploadsBlocksReadsPropertiesAndRangesWithItsOwnSAS() async throws {
        let script = try #require(Bundle.module.url(forResource: "Fixtures/azure_sdk_client", withExtension: "py"))
        let server = BlobServer()
        try await server.store.createContainer("sdk")
        let observed = try await server.run(logger: quietLogger) { accountURL in
            // The SDK talks to this process: ChildProcess waits off the cooperative pool.
            let result = try await ChildProcess.run(
                "/usr/bin/env",
                ["python3", script.path, accountURL, server.account, server.accountKey, "sdk"]
            )
            let output = result.stdout
            let errors = result.stderrText
            try #require(result.status == 0, "SDK script failed: \(errors)")
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            return try decoder.decode(Observed.self, from: output)
        }
        #expect(observed.size == 1_000_003)
        #expect(observed.metadata == ["iv": "oKGio6SlpqeoqaqrrK2urw==", "streamingformat": "cbc"])
        #expect(observed.rangeOk && observed.tailOk && observed.wholeOk)
        #expect(observed.small == "hello")
        #expect(observed.smallMetadata == ["Kind": "note"])
        #expect(observed.readOnlyWrite == "AuthorizationPermissionMismatch")
        #expect(observed.wrongBlob == "AuthenticationFailed")
        #expect(observed.expired == "AuthenticationFailed")
        #expect(observed.missing == "BlobNotFound")
        let stored = try await server.store.blob("sdk dir/blocks ü.bin", in: "sdk")
        #expect(SHA256.hash(data: stored.bytes).map { String(format: "%02x", $0) }.joined() == observed.sha256)
        #expect(stored.blocks.count == 8)
    }
}

import Foundation
import InterlinkStorage
import InterlinkTestSupport
import NIOCore
import RescaleSim
import Testing

/// A `HEAD` after the simulator expired every credential: its S3 side answers a bare 400 (no body, like S3), and our
/// client must take that as the expired session token it is.
@Suite(.tags(.integration)) struct S3HeadExpiryTests {
    @Test func headAfterCredentialExpiryRefreshesOnceAndSucceeds() async throws {
        try await SimHarness.with(SimExecutionTests.fastConfiguration()) { sim, _ in
            let source = SimCredentialSource(sim)
            let store = try await SimClients.s3(sim, source: source)
            let key = ObjectKey("user/sim/head-expiry.bin")
            try await store.putObject(ByteBuffer(repeating: 7, count: 1234), at: key, metadata: ObjectMetadata([]))
            #expect(try await store.properties(of: key).size == 1234)
            #expect(await source.fetches == 1)
            #expect(try await sim.call(.POST, "/_sim/credentials/expire").status == 204)
            #expect(try await store.properties(of: key).size == 1234)
            #expect(await source.fetches == 2)
            let requests = try #require(try await sim.call(.GET, "/_sim/counts").json?["requests"])
            #expect(requests["s3.HeadObject"]?.int == 3)
        }
    }
}

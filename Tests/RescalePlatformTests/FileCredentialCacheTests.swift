import Foundation
import RescaleAPI
import Synchronization
import Testing

@testable import RescalePlatform

/// The file-credential cache on a scripted fetch and a manual wall clock: chunks, reuse until expiry, refusal,
/// and concurrent misses sharing one request.
@Suite struct FileCredentialCacheTests {
    /// A scripted credentials endpoint that records the paths of every request.
    final class Endpoint: Sendable {
        private let calls = Mutex<[[String]]>([])
        let expiration: String?

        init(expiration: String? = nil) { self.expiration = expiration }

        var requests: [[String]] { calls.withLock { $0 } }

        func fetch(_ files: [FileRecord]) async throws -> StorageCredentials {
            calls.withLock { $0.append(files.compactMap { $0.pathParts?.path }) }
            await Task.yield()
            var fields: [String: Any] = ["storageType": "S3Storage", "accessKey": "AK", "secretKey": "s"]
            if let expiration { fields["expiration"] = expiration }
            return try JSONDecoder().decode(
                StorageCredentials.self,
                from: JSONSerialization.data(withJSONObject: fields)
            )
        }
    }

    /// A settable wall clock.
    final class WallClock: Sendable {
        private let time = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
        var now: Date { time.withLock { $0 } }
        func advance(_ seconds: TimeInterval) { time.withLock { $0.addTimeInterval(seconds) } }
    }

    static func record(_ index: Int, storage: String = "sTorS3") throws -> FileRecord {
        let fields: [String: Any] = [
            "id": "f\(index)",
            "pathParts": ["container": "bucket", "path": "out/file\(index).txt"],
            "storage": ["id": storage, "storageType": "S3Storage"],
        ]
        return try JSONDecoder().decode(FileRecord.self, from: JSONSerialization.data(withJSONObject: fields))
    }

    @Test func asksForAChunkOfExpectedPathsPerRequest() async throws {
        let endpoint = Endpoint()
        let cache = FileCredentialCache(chunkSize: 10) { try await endpoint.fetch($0) }
        let records = try (1...25).map { try Self.record($0) }
        await cache.expect(records)
        for record in records { _ = try await cache.grant(for: record) }
        #expect(endpoint.requests.map(\.count) == [10, 10, 5])
        #expect(Set(endpoint.requests.joined()) == Set(records.compactMap { $0.pathParts?.path }))
        #expect(endpoint.requests.first?.first == "out/file1.txt")
    }

    @Test func concurrentMissesShareTheRequestThatCoversThem() async throws {
        let endpoint = Endpoint()
        let cache = FileCredentialCache(chunkSize: 20) { try await endpoint.fetch($0) }
        let records = try (1...12).map { try Self.record($0) }
        await cache.expect(records)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for record in records { group.addTask { _ = try await cache.grant(for: record) } }
            try await group.waitForAll()
        }
        #expect(endpoint.requests.count == 1)
    }

    @Test func reusesAGrantUntilItIsStaleOrRefused() async throws {
        let endpoint = Endpoint()
        let clock = WallClock()
        let cache = FileCredentialCache(chunkSize: 5, now: { clock.now }, fetch: { try await endpoint.fetch($0) })
        let record = try Self.record(1)
        let first = try await cache.grant(for: record)
        clock.advance(599)
        #expect(try await cache.grant(for: record).generation == first.generation)
        clock.advance(2)
        let second = try await cache.grant(for: record)
        #expect(second.generation != first.generation)
        // Storage refused the second grant: it is not handed out again.
        let third = try await cache.grant(for: record, replacing: second.generation)
        #expect(third.generation != second.generation)
        #expect(endpoint.requests.count == 3)
    }

    @Test func anAzureExpirationShortensTheGrant() async throws {
        let clock = WallClock()
        let formatter = ISO8601DateFormatter()
        let endpoint = Endpoint(expiration: formatter.string(from: clock.now.addingTimeInterval(300)))
        let cache = FileCredentialCache(chunkSize: 5, now: { clock.now }, fetch: { try await endpoint.fetch($0) })
        let grant = try await cache.grant(for: try Self.record(1))
        #expect(grant.freshUntil == clock.now.addingTimeInterval(180))
    }

    @Test func pathsOnAnotherStorageAreNotAskedForTogether() async throws {
        let endpoint = Endpoint()
        let cache = FileCredentialCache(chunkSize: 10) { try await endpoint.fetch($0) }
        let records = try [Self.record(1), Self.record(2, storage: "other"), Self.record(3)]
        await cache.expect(records)
        for record in records { _ = try await cache.grant(for: record) }
        #expect(endpoint.requests == [["out/file1.txt", "out/file3.txt"], ["out/file2.txt"]])
    }
}

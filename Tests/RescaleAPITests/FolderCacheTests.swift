import InterlinkCore
import RescaleAPI
import Synchronization
import Testing

/// The folder cache: one listing per folder while it is fresh, shared by concurrent lookups, dropped by
/// `invalidate` and by age.
@Suite struct FolderCacheTests {
    /// Counts listings and serves `root → a → b`.
    final class Listings: Sendable {
        let calls = Mutex<[String: Int]>([:])

        func fetch(_ id: String) async throws -> [JSONValue] {
            calls.withLock { $0[id, default: 0] += 1 }
            switch id {
            case "root":
                return [
                    ["type": "folder", "item": ["id": "A", "name": "a"]],
                    ["type": "file", "item": ["id": "F1", "name": "x.dat", "decryptedSize": 3]],
                ]
            case "A": return [["type": "folder", "item": ["id": "B", "name": "b"]]]
            default: return []
            }
        }

        var total: Int { calls.withLock { $0.values.reduce(0, +) } }
    }

    /// A clock the test moves.
    final class Now: Sendable {
        let start = ContinuousClock.now
        let offset = Mutex<Duration>(.zero)
        func instant() -> ContinuousClock.Instant { start + offset.withLock { $0 } }
        func advance(_ by: Duration) { offset.withLock { $0 += by } }
    }

    @Test func fiveHundredLookupsOfOnePathCostOneCallPerFolderOnThePath() async throws {
        let listings = Listings()
        let cache = FolderCache { try await listings.fetch($0) }
        for _ in 0..<500 { #expect(try await cache.folder(atPath: "a", from: "root") == "A") }
        #expect(listings.total == 1)
        for _ in 0..<500 { #expect(try await cache.folder(atPath: "a/b", from: "root") == "B") }
        #expect(listings.total == 2)
        #expect(try await cache.folder(atPath: "a/missing", from: "root") == nil)
        #expect(listings.calls.withLock { $0 } == ["root": 1, "A": 1])
    }

    @Test func concurrentLookupsShareOneListing() async throws {
        let listings = Listings()
        let cache = FolderCache { try await listings.fetch($0) }
        try await withThrowingTaskGroup(of: String?.self) { group in
            for _ in 0..<500 { group.addTask { try await cache.folder(atPath: "a", from: "root") } }
            while let found = try await group.next() { #expect(found == "A") }
        }
        #expect(listings.total == 1)
    }

    @Test func listingsExpireAfterFiveMinutesAndOnInvalidate() async throws {
        let listings = Listings()
        let now = Now()
        let cache = FolderCache(now: { now.instant() }, fetch: { try await listings.fetch($0) })
        #expect(cache.ttl == .seconds(300))
        _ = try await cache.contents(of: "root")
        now.advance(.seconds(299))
        _ = try await cache.contents(of: "root")
        #expect(listings.total == 1)
        now.advance(.seconds(2))
        _ = try await cache.contents(of: "root")
        #expect(listings.total == 2)
        await cache.invalidate("root")
        let entries = try await cache.contents(of: "root")
        #expect(listings.total == 3)
        #expect(entries.map(\.id) == ["A", "F1"] && entries.map(\.isFolder) == [true, false])
        _ = try await cache.contents(of: "A")
        await cache.invalidateAll()
        _ = try await cache.contents(of: "A")
        #expect(listings.calls.withLock { $0 } == ["root": 3, "A": 2])
    }
}

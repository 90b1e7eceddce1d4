import Foundation
import Testing

@testable import InterlinkStorage

@Suite struct CredentialCacheTests {
    @Test func refreshesAtTenMinutesOfAge() async throws {
        let wall = ManualWallClock()
        let provider = CountingProvider(clock: wall)
        let cache = CredentialCache(provider: provider, now: wall.now)
        #expect(try await cache.current().value.accessKeyID == "AKID1")
        wall.advance(599)
        #expect(try await cache.current().value.accessKeyID == "AKID1")
        wall.advance(1)
        #expect(try await cache.current().value.accessKeyID == "AKID2")
    }

    @Test func refreshesTwoMinutesBeforeTheIssuersExpiration() async throws {
        let wall = ManualWallClock()
        let provider = CountingProvider(clock: wall, expiresIn: 300)
        let cache = CredentialCache(provider: provider, now: wall.now)
        _ = try await cache.current()
        wall.advance(179)
        #expect(try await cache.current().generation == 1)
        wall.advance(1)
        #expect(try await cache.current().generation == 2)
    }

    @Test func concurrentCallersShareOneInFlightRefresh() async throws {
        let wall = ManualWallClock()
        let provider = CountingProvider(clock: wall, delay: .milliseconds(50))
        let cache = CredentialCache(provider: provider, now: wall.now)
        let keys = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<16 { group.addTask { try await cache.current().value.accessKeyID } }
            var keys: [String] = []
            for try await key in group { keys.append(key) }
            return keys
        }
        #expect(Set(keys) == ["AKID1"])
        #expect(await provider.fetches == 1)
    }

    @Test func forcedRefreshIsSkippedWhenAnotherCallerAlreadyReplacedTheLease() async throws {
        let wall = ManualWallClock()
        let provider = CountingProvider(clock: wall)
        let cache = CredentialCache(provider: provider, now: wall.now)
        let stale = try await cache.current()
        let first = try await cache.refresh(replacing: stale)
        let second = try await cache.refresh(replacing: stale)
        #expect(first.generation == 2 && second.generation == 2)
        #expect(await provider.fetches == 2)
    }
}

import Foundation
import Testing

@testable import RescaleAPI

@Suite struct LimiterTests {
    let key = RateLimiter.BucketKey(baseURL: "https://platform.rescale.com", keyFingerprint: "f", scope: .user)

    @Test func resolvesScopesMostSpecificFirst() {
        #expect(APIScope.of(method: "POST", path: "/api/v2/jobs/x/submit/") == .jobSubmission)
        #expect(APIScope.of(method: "GET", path: "/api/v2/jobs/x/files/") == .jobsUsage)
        #expect(APIScope.of(method: "POST", path: "/api/v2/organizations/a/jobs/x/project-assignment/") == .user)
        #expect(APIScope.of(method: "POST", path: "/api/v3/jobs/") == .user)
    }

    @Test func startsFullThenPacesAtTheRefillRate() async throws {
        let limiter = RateLimiter { _ in RateLimit(tokensPerSecond: 20, capacity: 2) }
        let start = ContinuousClock.now
        try await limiter.acquire(key)
        try await limiter.acquire(key)
        let burst = ContinuousClock.now - start
        for _ in 0..<4 { try await limiter.acquire(key) }
        let total = ContinuousClock.now - start
        #expect(burst < .milliseconds(40))
        #expect(total >= .milliseconds(190))
        #expect(total < .seconds(1))
    }

    @Test func servesConcurrentWaitersWithinTheRate() async throws {
        let limiter = RateLimiter { _ in RateLimit(tokensPerSecond: 50, capacity: 1) }
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<11 { group.addTask { try await limiter.acquire(key) } }
            try await group.waitForAll()
        }
        let total = ContinuousClock.now - start
        #expect(total >= .milliseconds(190))
        #expect(total < .seconds(1))
    }

    @Test func throttlingDrainsAndCoolsDown() async throws {
        let limiter = RateLimiter { _ in RateLimit(tokensPerSecond: 1000, capacity: 100) }
        await limiter.throttled(key, retryAfter: .milliseconds(300))
        await limiter.throttled(key, retryAfter: .milliseconds(10))
        #expect(await limiter.cooldown(key) > .milliseconds(200))
        let start = ContinuousClock.now
        try await limiter.acquire(key)
        #expect(ContinuousClock.now - start >= .milliseconds(250))
    }

    @Test func parsesRetryAfterSecondsAndDates() {
        #expect(RetryAfter.parse("2") == .seconds(2))
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let later = "Tue, 14 Nov 2023 22:13:30 GMT"
        #expect(RetryAfter.parse(later, now: now) == .seconds(10))
        #expect(RetryAfter.parse("soon") == nil)
    }
}

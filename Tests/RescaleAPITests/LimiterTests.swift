import Foundation
import InterlinkTestSupport
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
        // A test clock: sleeps advance it by exactly what the limiter asked for, so pacing is exact under any load.
        let clock = TestClock()
        let limiter = RateLimiter(clock: ElapsedClock(clock)) { _ in RateLimit(tokensPerSecond: 20, capacity: 2) }
        try await limiter.acquire(key)
        try await limiter.acquire(key)
        #expect(clock.sleeps.isEmpty)
        for _ in 0..<4 { try await limiter.acquire(key) }
        #expect(clock.sleeps == Array(repeating: .milliseconds(50), count: 4))
        #expect(clock.now.offset == .milliseconds(200))
    }

    @Test func servesConcurrentWaitersWithinTheRate() async throws {
        let clock = TestClock()
        let limiter = RateLimiter(clock: ElapsedClock(clock)) { _ in RateLimit(tokensPerSecond: 50, capacity: 1) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<11 { group.addTask { try await limiter.acquire(key) } }
            try await group.waitForAll()
        }
        // One token at once, then ten at 20 ms each: only the head of the queue sleeps, so waits never overlap.
        #expect(clock.sleeps == Array(repeating: .milliseconds(20), count: 10))
        #expect(clock.now.offset == .milliseconds(200))
    }

    @Test func pacesOnTheRealClockToo() async throws {
        let limiter = RateLimiter { _ in RateLimit(tokensPerSecond: 20, capacity: 2) }
        let start = ContinuousClock.now
        for _ in 0..<6 { try await limiter.acquire(key) }
        // Only a lower bound: a loaded machine can be late, never early.
        #expect(ContinuousClock.now - start >= .milliseconds(190))
    }

    /// A waiter cancelled in the queue ends at once, while the head still waits for its token, and the waiter
    /// behind it keeps its turn: the order of endings is the cancelled one, the head, then the last.
    @Test(.timeLimit(.minutes(1))) func aCancelledWaiterLeavesTheQueueAtOnceAndTheOthersKeepTheirTurn() async throws {
        // One token, then one every 1.5 s: the head waits 1.5 s and the last waiter 3 s.
        let limiter = RateLimiter { _ in RateLimit(tokensPerSecond: 1 / 1.5, capacity: 1) }
        try await limiter.acquire(key)
        let endings = Endings()
        // Unstructured tasks, each awaited below: the test cancels one waiter alone, which a task group (whose
        // cancellation reaches every child) cannot do.
        let head = Task { await endings.record("head") { try await limiter.acquire(key) } }
        while await !limiter.isHeadBusy(key) { try await Task.sleep(for: .milliseconds(5)) }
        let cancelled = Task { await endings.record("cancelled") { try await limiter.acquire(key) } }
        while await limiter.waiterCount(key) < 1 { try await Task.sleep(for: .milliseconds(5)) }
        let last = Task { await endings.record("last") { try await limiter.acquire(key) } }
        while await limiter.waiterCount(key) < 2 { try await Task.sleep(for: .milliseconds(5)) }
        cancelled.cancel()
        await head.value
        await cancelled.value
        await last.value
        #expect(await endings.all == ["cancelled: CancellationError", "head: token", "last: token"])
        #expect(await limiter.waiterCount(key) == 0)
    }

    /// A cancellation that comes before a waiter would join the queue ends it without joining.
    @Test(.timeLimit(.minutes(1))) func aWaiterCancelledBeforeItsTurnNeverJoins() async throws {
        let limiter = RateLimiter { _ in RateLimit(tokensPerSecond: 0.01, capacity: 1) }
        try await limiter.acquire(key)
        // Unstructured tasks, each awaited below: the head is cancelled alone, after the early waiter ended.
        let head = Task { try await limiter.acquire(key) }
        while await !limiter.isHeadBusy(key) { try await Task.sleep(for: .milliseconds(5)) }
        let early = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await limiter.acquire(key)
        }
        await #expect(throws: CancellationError.self) { try await early.value }
        #expect(await limiter.waiterCount(key) == 0)
        head.cancel()
        await #expect(throws: CancellationError.self) { try await head.value }
        #expect(await !limiter.isHeadBusy(key))
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

    @Test func bucketStaysEmptyThroughTheCooldownAndRefillsOnlyAfterIt() async throws {
        // A large bucket that is nearly full when the 429 comes: none of it, and nothing accrued during the cooldown,
        // may leave at the cooldown's end.
        let clock = TestClock()
        let limiter = RateLimiter(clock: ElapsedClock(clock)) { _ in RateLimit(tokensPerSecond: 20, capacity: 100) }
        try await limiter.acquire(key)
        await limiter.throttled(key, retryAfter: .seconds(2))
        for _ in 0..<4 { try await limiter.acquire(key) }
        // The cooldown, then one refill interval per request: paced at the rate from the cooldown's end.
        #expect(clock.sleeps == [.seconds(2)] + Array(repeating: .milliseconds(50), count: 4))
        #expect(clock.now.offset == .milliseconds(2200))
    }

    @Test func concurrentWaitersLeaveTheCooldownOneRefillApart() async throws {
        let clock = TestClock()
        let limiter = RateLimiter(clock: ElapsedClock(clock)) { _ in RateLimit(tokensPerSecond: 10, capacity: 50) }
        await limiter.throttled(key, retryAfter: .seconds(1))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<6 { group.addTask { try await limiter.acquire(key) } }
            try await group.waitForAll()
        }
        // Six waiters (retries among them) go one at a time, a refill interval apart, the first one interval after
        // the cooldown: the head sleeps through the cooldown, then every token is waited for.
        #expect(clock.sleeps == [.seconds(1)] + Array(repeating: .milliseconds(100), count: 6))
        #expect(clock.now.offset == .milliseconds(1600))
    }

    @Test func aLaterThrottleExtendsTheCooldownAndMovesTheRefillStart() async throws {
        let clock = TestClock()
        let limiter = RateLimiter(clock: ElapsedClock(clock)) { _ in RateLimit(tokensPerSecond: 20, capacity: 10) }
        await limiter.throttled(key, retryAfter: .seconds(1))
        try await clock.sleep(for: .milliseconds(500))
        await limiter.throttled(key, retryAfter: .seconds(2))
        // A throttle without Retry-After keeps the cooldown (it only ever extends) and its refill start.
        await limiter.throttled(key, retryAfter: nil)
        #expect(await limiter.cooldown(key) == .seconds(2))
        try await limiter.acquire(key)
        try await limiter.acquire(key)
        #expect(clock.now.offset == .milliseconds(2600))
    }

    @Test func throttleWithoutRetryAfterDrainsTheBucket() async throws {
        let clock = TestClock()
        let limiter = RateLimiter(clock: ElapsedClock(clock)) { _ in RateLimit(tokensPerSecond: 20, capacity: 10) }
        await limiter.throttled(key, retryAfter: nil)
        try await limiter.acquire(key)
        #expect(clock.sleeps == [.milliseconds(50)])
    }

    @Test func parsesRetryAfterSecondsAndDates() {
        #expect(RetryAfter.parse("2") == .seconds(2))
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let later = "Tue, 14 Nov 2023 22:13:30 GMT"
        #expect(RetryAfter.parse(later, now: now) == .seconds(10))
        #expect(RetryAfter.parse("soon") == nil)
    }
}

/// The order in which waiters ended, and how.
private actor Endings {
    private(set) var all: [String] = []

    func record(_ name: String, _ acquire: @Sendable () async throws -> Void) async {
        do {
            try await acquire()
            all.append("\(name): token")
        } catch {
            all.append("\(name): \(type(of: error))")
        }
    }
}

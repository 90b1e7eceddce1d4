import Foundation
import InterlinkCore
import InterlinkHTTP
import InterlinkTestSupport
import Logging
import RescaleSim
import Testing

@testable import RescaleAPI

/// Recovery from a 429 against the emulator's own buckets: the emulator throttles the user scope for six
/// seconds or more, every request in flight gets a 429 with `Retry-After`, and afterwards the client's requests,
/// retries included, leave at its bucket's rate instead of as a burst at the cooldown's end, so the emulator never
/// counts it over its limit again.
///
/// The emulator's bucket stays empty through the throttle and refills from its end, as the client assumes; a burst
/// at the cooldown's end is then refused and counted in ``RescaleSim/RateLimit/Tally/overLimit``.
@Suite(.tags(.integration)) struct ThrottleRecoveryTests {
    static let apiKey = "throttle-test-key-0123"
    /// The emulator's user scope: 5 rps, burst 4.
    static let serverRate = 5.0
    /// The client's bucket: 85 % of the server's rate, the same burst.
    static let clientLimit = RescaleAPI.RateLimit(tokensPerSecond: 4.25, capacity: 4)
    static let requestCount = 12
    /// The least throttle; the emulator answers `Retry-After` with what is left of it.
    ///
    /// The requests sent before the client's first 429 must all arrive inside it, or the client's full bucket
    /// meets the emulator's empty one at its end and is counted over the limit through no fault of its pacing. At
    /// one second they sometimes arrived after its end on an idle machine; at three seconds, under a loaded one (a
    /// debug build sharing two cores with the parallel suite and more), in 3 of 8 runs, and once even after a fast
    /// warm-up. Its length is not what the test checks, so it is long; the test's time grows by as much.
    static let throttle = Duration.seconds(6)
    /// The throttle as a multiple of a warm-up's time measured just before it, when that is longer than
    /// ``throttle``: the warm-up sends the same first burst (as another user, on the same connections) and shows
    /// how slow the machine is now.
    static let throttleOverWarmUp = 4.0
    /// The longest throttle: half a request's 30 s deadline, which must cover the wait out of it and the pacing.
    static let longestThrottle = Duration.seconds(15)
    /// A second user whose requests warm the connections and time the machine, with a bucket of its own.
    static let warmUpKey = "throttle-warm-up-key-0123"

    @Test func requestsAfterA429ArePacedAndNeverOverTheLimitAgain() async throws {
        var configuration = SimConfiguration(users: [.init(apiKey: Self.apiKey), .init(apiKey: Self.warmUpKey)])
        configuration.rateLimits = [.user: .init(rate: Self.serverRate, capacity: Self.clientLimit.capacity)]
        let server = SimServer(configuration: configuration)
        let responses = ResponseLog()
        let (throttleEnd, warmUpRequests, timing) = try await server.run(logger: quietLogger) { base in
            let warmUp = try RescaleAPIClient(
                baseURL: base,
                key: try #require(APIKey(Self.warmUpKey)),
                allowInsecureHost: true,
                http: HTTPClient.shared,
                limiter: RateLimiter(limits: { _ in Self.clientLimit }),
                logger: quietLogger
            )
            let warmUpStart = ContinuousClock.now
            _ = try await (0..<Int(Self.clientLimit.capacity)).concurrentMap(limit: Self.requestCount) { _ in
                try await warmUp.rootFolders()
            }
            let warmUpTime = ContinuousClock.now - warmUpStart
            let throttle = min(Self.longestThrottle, max(Self.throttle, warmUpTime * Self.throttleOverWarmUp))
            let warmUpRequests = server.faults.requestCounts["folders.root"] ?? 0
            let client = try RescaleAPIClient(
                baseURL: base,
                key: try #require(APIKey(Self.apiKey)),
                allowInsecureHost: true,
                http: HTTPClient.shared,
                limiter: RateLimiter(limits: { _ in Self.clientLimit }),
                logger: Logger(label: "throttle-recovery") { _ in responses.handler }
            )
            let start = ContinuousClock.now
            server.limits.block(key: Self.apiKey, scope: .user, for: throttle, now: start)
            _ = try await (0..<Self.requestCount).concurrentMap(limit: Self.requestCount) { _ in
                try await client.rootFolders()
            }
            return (start + throttle, warmUpRequests, "a throttle of \(throttle) after a warm-up of \(warmUpTime)")
        }

        let tally = server.limits.tally(key: Self.apiKey, scope: .user)
        #expect(tally.blocked >= 1, "the emulator throttled no request in \(timing)")
        #expect(
            tally.overLimit == 0,
            "the emulator counted the client over its limit again, \(tally.overLimit) times, in \(timing)"
        )
        #expect(tally.admissions.count == Self.requestCount)
        let first = try #require(tally.admissions.first)
        #expect(first >= throttleEnd)
        // Paced from the cooldown's end: the client's bucket is empty then and refills at its rate, so its k-th
        // request cannot leave before k / rate after it, and the emulator cannot admit a request before it left.
        // Measured from the end of the throttle rather than between admissions: under the parallel suite's load
        // the emulator may handle the first requests late and then several at once, which is not a burst sent.
        let offsets = tally.admissions.map { $0 - throttleEnd }
        let tooEarly = tally.admissions.sorted().enumerated().filter { index, admitted in
            admitted < throttleEnd + Duration.seconds(Double(index) / Self.clientLimit.tokensPerSecond) * 0.9
        }
        #expect(tooEarly.isEmpty, "admitted faster than the client's rate after the cooldown: \(offsets)")

        // Every refused request was retried exactly once it could be, and the client saw each refusal.
        let requests = (server.faults.requestCounts["folders.root"] ?? 0) - warmUpRequests
        #expect(requests == Self.requestCount + tally.blocked, "root-folder requests")
        #expect(responses.count(status: 429) == tally.blocked)
        #expect(responses.count(status: 200) == Self.requestCount)
    }
}

import Foundation
import InterlinkCore
import InterlinkTestSupport
import LocalCloud
import Testing

@Suite(.tags(.integration)) struct LocalCloudEndWaitTests {
    static let key = IdempotencyKey("run/job:a/create")

    /// Polls until `cloud` holds `count` pending waits (each poll a few milliseconds apart, two seconds at most).
    static func waitsPending(_ cloud: LocalCloud, count: Int) async throws {
        for _ in 0..<400 where await cloud.endWaitCount < count { try await Task.sleep(for: .milliseconds(5)) }
        #expect(await cloud.endWaitCount == count)
    }

    @Test func aWaitLastsItsLimitWhileTheJobRunsAndEndsAtOnceWithTheJob() async throws {
        let cloud = try LocalCloud(root: temporaryDirectory("cloud"))
        let job = try await cloud.createJob(LocalCloudTests.body("true"), idempotencyKey: Self.key)
        try await cloud.submit(job.id)
        let clock = ContinuousClock()
        // Not served: nothing ends the job, so the wait lasts its limit and returns the status as it is.
        var start = clock.now
        #expect(try await cloud.waitForEnd(of: job.id, upTo: .milliseconds(60)) == .pending)
        #expect(clock.now - start >= .milliseconds(60))
        #expect(await cloud.endWaitCount == 0, "a wait that ended leaves nothing behind")
        // A stop ends the job while two long waits are pending: both return with the end, at once.
        start = clock.now
        async let first = cloud.waitForEnd(of: job.id, upTo: .seconds(60))
        async let second = cloud.waitForEnd(of: job.id, upTo: .seconds(60))
        try await Self.waitsPending(cloud, count: 2)
        try await cloud.stop(job.id)
        let statuses = try await [first, second]
        #expect(statuses.allSatisfy { $0 == .stopped(reason: "Stopped by user") })
        #expect(clock.now - start < .seconds(20))
        #expect(await cloud.endWaitCount == 0)
        // The job has ended: a wait returns at once.
        start = clock.now
        #expect(try await cloud.waitForEnd(of: job.id, upTo: .seconds(60)).isTerminal)
        #expect(clock.now - start < .seconds(20))
    }

    @Test func aServedJobsEndWakesItsWaitAndACancelledWaitReturnsAtOnce() async throws {
        let cloud = try LocalCloud(root: temporaryDirectory("cloud"))
        let clock = ContinuousClock()
        let waiting = try await cloud.createJob(LocalCloudTests.body("true"), idempotencyKey: Self.key)
        try await cloud.submit(waiting.id)
        // Cancelled with a long limit, the wait returns at once and leaves no wait behind.
        var start = clock.now
        await withTaskGroup(of: Void.self) { group in
            group.addTask { _ = try? await cloud.waitForEnd(of: waiting.id, upTo: .seconds(60)) }
            try? await Self.waitsPending(cloud, count: 1)
            group.cancelAll()
        }
        #expect(clock.now - start < .seconds(20))
        #expect(await cloud.endWaitCount == 0)
        // Served, the job runs `true` and its end (durable) wakes the wait long before its limit.
        start = clock.now
        let status = try await EngineSupport.whileServing(cloud) {
            try await cloud.waitForEnd(of: waiting.id, upTo: .seconds(60))
        }
        #expect(status == .completed(.success))
        #expect(clock.now - start < .seconds(20))
        #expect(try await cloud.jobRecord(waiting.id).exitStatus == 0)
    }
}

import Foundation
import InterlinkCore
import InterlinkSystem
import InterlinkTestSupport
import Testing

@testable import LocalCloud

/// The order ``LocalCloud/serve()`` starts jobs in, and what choosing the next job costs.
@Suite struct WaitingJobsTests {
    @Test func takesJobsInSubmitOrderWhateverTheOrderTheyWereFiledIn() {
        var waiting = WaitingJobs()
        let sequences = Array(1...200).shuffled()
        for sequence in sequences { waiting.insert(.init(sequence: sequence, id: JobID("j\(sequence)"))) }
        // A second filing of the same job under the same sequence adds nothing.
        for sequence in sequences.prefix(50) { waiting.insert(.init(sequence: sequence, id: JobID("j\(sequence)"))) }
        #expect(waiting.count == 200)
        var taken: [Int] = []
        while let entry = waiting.popFirst() { taken.append(entry.sequence) }
        #expect(taken == Array(1...200))
    }

    @Test func aJobTakenOutCanBeFiledAgainAndTiesGoByID() {
        var waiting = WaitingJobs()
        waiting.insert(.init(sequence: 5, id: JobID("b")))
        waiting.insert(.init(sequence: 5, id: JobID("a")))
        waiting.insert(.init(sequence: 9, id: JobID("c")))
        let first = waiting.popFirst()
        #expect(first?.id == JobID("a"))
        // Passed over (held elsewhere, say) and filed again: it is first again.
        if let first { waiting.insert(first) }
        #expect(waiting.popFirst()?.id == JobID("a"))
        #expect(waiting.popFirst()?.id == JobID("b"))
        #expect(waiting.popFirst()?.id == JobID("c"))
        #expect(waiting.popFirst() == nil)
    }
}

@Suite(.tags(.integration)) struct LocalCloudSchedulingTests {
    /// Seconds since the epoch as the shell wrote them to `path`.
    static func stamp(_ path: String) throws -> Double {
        try #require(Double(text(at: path).trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    @Test func aJobThatNeedsMoreCoresThanAreFreeIsNotOvertakenByALaterOne() async throws {
        let root = temporaryDirectory("cloud")
        let shared = root + "/shared"
        try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: true)
        let cloud = try LocalCloud(root: root, cores: 2)
        // a takes one core for 0.4 s; b needs both; c needs one, free beside a, but must wait for b.
        let specs: [(name: String, cores: Int, seconds: String)] = [("a", 1, "0.4"), ("b", 2, "0.1"), ("c", 1, "0")]
        let jobs = specs.map { spec in
            let command =
                "date +%s.%N > '\(shared)/\(spec.name).start'; sleep \(spec.seconds); "
                + "date +%s.%N > '\(shared)/\(spec.name).end'"
            return (name: spec.name, command: command, cores: spec.cores)
        }
        let ids = try await LocalCloudTests.submit(jobs, to: cloud)
        let statuses = try await LocalCloudTests.servedToTheEnd(ids, on: cloud).map(\.status)
        #expect(statuses == Array(repeating: .completed(.success), count: 3))
        let aEnd = try Self.stamp(shared + "/a.end")
        let bStart = try Self.stamp(shared + "/b.start")
        let bEnd = try Self.stamp(shared + "/b.end")
        let cStart = try Self.stamp(shared + "/c.start")
        #expect(bStart >= aEnd, "b needs both cores: it starts once a ended")
        #expect(cStart >= bEnd, "c does not overtake b: it started \(bStart - cStart) s before b")
    }

    @Test func aJobClaimedElsewhereIsPassedOverAndStartedOnceItsClaimIsFree() async throws {
        let root = temporaryDirectory("cloud")
        let cloud = try LocalCloud(root: root, cores: 1)
        let ids = try await LocalCloudTests.submit(
            ["held", "free"].map { (name: $0, command: "echo \($0) > out.txt", cores: 1) },
            to: cloud
        )
        let (held, free) = (ids[0], ids[1])
        // Another instance's claim on the first job, as a second runner in another process would hold it.
        let claim = try FileLock(path: root + "/claims/\(held).lock")
        let heldStatus = try await EngineSupport.whileServing(cloud) {
            while try await cloud.status(of: free).isTerminal == false { try await Task.sleep(for: .milliseconds(10)) }
            let whileHeld = try await cloud.status(of: held)
            claim.release()
            while try await cloud.status(of: held).isTerminal == false { try await Task.sleep(for: .milliseconds(10)) }
            return whileHeld
        }
        #expect(heldStatus == .pending, "the held job waits while the next one runs")
        #expect(try await cloud.jobRecord(free).status == .completed(.success))
        let record = try await cloud.jobRecord(held)
        #expect(record.status == .completed(.success) && record.executionCount == 1)
    }

    /// Files `count` submitted jobs `job00001`… in shuffled submit order, their records appended without syncs.
    static func fileWaitingJobs(_ count: Int, on cloud: LocalCloud) async throws {
        try await cloud.fileWaitingJobs(count, body: LocalCloudTests.body("true"))
    }

    @Test func aPassedOverJobIsTheFirstChoiceOnceItsClaimIsFreeWithoutBeingAskedAbout() async throws {
        let root = temporaryDirectory("cloud")
        let cloud = try LocalCloud(root: root, cores: 1)
        try await Self.fileWaitingJobs(3, on: cloud)
        let claim = try FileLock(path: root + "/claims/job00001.lock")
        #expect(try await cloud.claimRunnable(freeCores: 1).map(\.id) == [JobID("job00002")])
        claim.release()
        // No client call in between (the engine may wait for an end rather than ask): the passed-over job is
        // still filed, ahead of job00003.
        #expect(try await cloud.claimRunnable(freeCores: 1).map(\.id) == [JobID("job00001")])
    }

    @Test func choosingTheNextJobAmongThousandsWaitingDoesNotScanThem() async throws {
        let root = temporaryDirectory("cloud")
        let cloud = try LocalCloud(root: root, cores: 2)
        try await Self.fileWaitingJobs(5000, on: cloud)
        // Each event with no free core (a command running, say) used to look at every waiting job. Timed on the
        // actor, around the calls only: not 3,000 hops, nor the wait for the cloud's thread, which every local
        // cloud of the test process shares.
        let (claimedWithNoCore, elapsed) = try await cloud.claimRepeatedly(3000, freeCores: 0)
        #expect(claimedWithNoCore == 0)
        #expect(elapsed < .milliseconds(500), "3,000 choices among 5,000 waiting jobs took \(elapsed)")
        // With two free cores, the two first in submit order.
        let claimed = try await cloud.claimRunnable(freeCores: 2)
        #expect(claimed.map(\.id) == [JobID("job00001"), JobID("job00002")])
        #expect(claimed.allSatisfy { !$0.adopts })
        for claim in claimed { await cloud.releaseClaim(claim.id) }
    }
}

extension LocalCloud {
    /// ``claimRunnable(freeCores:)`` `times` times on the actor: the number of jobs claimed, and the time taken.
    fileprivate func claimRepeatedly(_ times: Int, freeCores: Int) throws -> (claimed: Int, elapsed: Duration) {
        let clock = ContinuousClock()
        let start = clock.now
        var claimed = 0
        for _ in 0..<times { claimed += try claimRunnable(freeCores: freeCores).count }
        return (claimed, clock.now - start)
    }

    /// Saves `count` submitted jobs `job00001`… in shuffled submit order (records appended without syncs) and
    /// wants them, on the actor.
    fileprivate func fileWaitingJobs(_ count: Int, body: JobDefinition) throws {
        for sequence in Array(1...count).shuffled() {
            let record = StoredJob(
                id: JobID(String(format: "job%05d", sequence)),
                body: body,
                idempotencyKey: IdempotencyKey("run/job:\(sequence)/create"),
                dateInserted: Date(),
                statuses: [StatusEntry(status: .pending, date: Date())],
                submitCount: 1,
                executionCount: 0,
                restartCount: 0,
                isRunning: false,
                pid: nil,
                outputs: [],
                submitSequence: sequence
            )
            try save(record)
            want(record.id)
        }
    }
}

import Foundation
import InterlinkCore
import InterlinkEngine
import InterlinkHTTP
import InterlinkTestSupport
import RescaleAPI
import Synchronization
import Testing

/// A job that ended unsuccessfully gets a new job on the next run; a stopped job stays stopped unless the run
/// restarts it.
@Suite struct RetryAndStopTests {
    /// Requests a stop the first time a job's status changes, leaving that job submitted and unfinished.
    final class StopOnFirstStatus: EventSink {
        let stop: StopSignal
        init(_ stop: StopSignal) { self.stop = stop }
        func receive(_ event: EngineEvent) { if event.event == .jobStatusChanged { stop.requestStop() } }
    }

    /// Requests a stop when a step starts waiting to retry.
    final class StopOnRetryWait: EventSink {
        let stop: StopSignal
        init(_ stop: StopSignal) { self.stop = stop }
        func receive(_ event: EngineEvent) { if event.event == .stageRetrying { stop.requestStop() } }
    }

    static func journal(_ base: String) throws -> [JournalRecord] {
        let path = RunDirectory(baseDirectory: base, runID: RunID("run-1")).journalPath
        return try JournalReader.parse(try Data(contentsOf: URL(fileURLWithPath: path)), path: path).records
    }

    @Test func aJobThatFailedGetsANewJobOnTheNextRunAndIsNeverSubmittedAgain() async throws {
        let base = EngineFixtures.temporaryDirectory()
        let platform = FakePlatform()
        await platform.end("a", with: .completed(.failure(reason: "Exceeded max number of restarts")))
        let plan = EngineFixtures.threeJobPlan(baseDirectory: base)
        let first = try await Engine(EngineFixtures.configuration(plan, platform: platform)).run()
        #expect(first.result == .failed)
        await platform.end("a", with: .completed(.success))
        let second = try await Engine(EngineFixtures.configuration(plan, platform: platform)).run()
        #expect(second.result == .succeeded)
        let jobs = await platform.jobs.filter { $0.request.name == "a" }
        #expect(jobs.count == 2)
        #expect(jobs.allSatisfy { $0.submissions == 1 })
        #expect(Set(jobs.map(\.request.idempotencyKey)).count == 2, "the new job has a key of its own")
        #expect(await platform.jobs.filter { $0.request.name == "b" }.count == 1, "a job that succeeded is kept")
        let retried = try Self.journal(base).compactMap { record -> JournalEntry.NodeRetried? in
            if case .nodeRetried(let entry) = record.entry { return entry }
            return nil
        }
        #expect(retried.map(\.node) == [.job("a")] && retried.first?.attempt == 1)
        #expect(retried.first?.jobID == jobs.first?.id)
    }

    /// What `body` returns, or nil when it has not returned within `limit` of real time (it is cancelled then).
    ///
    /// The waits below are an hour long, so a run that ends at all ended them early; the limit only bounds a failing
    /// test, and is long enough for a loaded machine whose cooperative pool is busy with other tests.
    static func within<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> T)
        async throws -> T?
    {
        let first = await withTaskGroup(of: Result<T, any Error>?.self) { group in
            group.addTask {
                do { return .success(try await body()) } catch { return .failure(error) }
            }
            group.addTask {
                try? await Task.sleep(for: limit)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            await group.waitForAll()
            return first
        }
        return try first?.get()
    }

    /// Runs the three-job plan on the real clock, polling every hour and backing off an hour (30 min with the
    /// fixtures' jitter), with `stopping` requesting the stop; how it ended, or nil if it waited out a wait.
    static func stoppedOnTheRealClock(
        _ platform: FakePlatform,
        stop: StopSignal = StopSignal(),
        stopping: (StopSignal) -> any EventSink
    ) async throws -> RunResult? {
        var plan = EngineFixtures.threeJobPlan(baseDirectory: EngineFixtures.temporaryDirectory())
        plan.settings.pollIntervalSeconds = 3600
        var configuration = EngineFixtures.configuration(plan, platform: platform, events: stopping(stop), stop: stop)
        configuration.clock = ContinuousClock()
        configuration.backoff = Backoff(base: .seconds(3600), cap: .seconds(3600))
        let ready = configuration
        return try await within(.seconds(60)) { try await Engine(ready).run().result }
    }

    /// A stop ends the waits of jobs between two polls (an hour here; 30 s by default): they are at a checkpoint.
    @Test func aStopEndsThePollIntervalAtOnce() async throws {
        let result = try await Self.stoppedOnTheRealClock(FakePlatform()) { StopOnFirstStatus($0) }
        #expect(result == .interrupted, "the run waited out its poll interval")
    }

    /// A stop requested while a step waits to retry ends that wait, and no second attempt is made.
    @Test func aStopEndsABackoffWithoutAnotherAttempt() async throws {
        let platform = FakePlatform()
        await platform.inject(.fail(PlatformError(.server(status: 503, message: "busy"))), on: .upload, nth: 1)
        let result = try await Self.stoppedOnTheRealClock(platform) { StopOnRetryWait($0) }
        #expect(result == .interrupted, "the run waited out its backoff")
        #expect(await platform.count(.upload) == 1, "the failed upload was tried again after the stop")
    }

    /// A stop requested while a step's call waits inside the Rescale API client to retry (a job's first status
    /// call, every request answered 503; the client's wait is 20 s, within the call's deadline) ends that wait too:
    /// the run is interrupted at once and no further request is sent. (The engine's stop is always the one that
    /// lets steps reach a checkpoint; before, this one waited for the client's retries.)
    @Test func aStopEndsTheAPIClientsRetryWaitInsideAStep() async throws {
        let server = ScriptedServer { _, _ in Reply.json(#"{"detail":"busy"}"#, status: 503) }
        let outcome = try await server.run { base in
            var options = RescaleAPIClient.Options()
            options.baseBackoff = .seconds(40)
            options.maxBackoff = .seconds(40)
            options.unitRandom = { 0.5 }
            let client = try RescaleAPIClient(
                baseURL: base,
                key: try #require(APIKey("engine-test-key-0123456789")),
                allowInsecureHost: true,
                http: HTTPClient.shared,
                limiter: RateLimiter(),
                options: options,
                logger: quietLogger
            )
            let platform = FakePlatform()
            await platform.inject(.perform { _ = try await client.rootFolders() }, on: .status, nth: 1)
            let stop = StopSignal()
            var plan = EngineFixtures.threeJobPlan(baseDirectory: EngineFixtures.temporaryDirectory())
            plan.settings.pollIntervalSeconds = 3600
            var configuration = EngineFixtures.configuration(plan, platform: platform, stop: stop)
            configuration.clock = ContinuousClock()
            configuration.backoff = Backoff(base: .seconds(3600), cap: .seconds(3600))
            let ready = configuration
            let run = try await Self.within(.seconds(60)) {
                try await withThrowingTaskGroup(of: StopRace.self) { group in
                    group.addTask {
                        let result = try await Engine(ready).run().result
                        return .ended(result, at: .now)
                    }
                    group.addTask {
                        // The refused request has been answered: the client is in its 20 s wait.
                        while server.requests.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
                        try await Task.sleep(for: .milliseconds(100))
                        stop.requestStop()
                        return .stopped(at: .now)
                    }
                    var race = StopRace.Outcome()
                    while let piece = try await group.next() { race.add(piece) }
                    return race
                }
            }
            return run
        }
        let race = try #require(outcome, "the run waited out the client's retries")
        #expect(race.result == .interrupted)
        let elapsed = try #require(race.elapsed)
        #expect(elapsed < .seconds(10), "the run ended \(elapsed) after the stop")
        #expect(server.requests.count == 1, "the client tried again after the stop")
    }

    /// A stop requested while an uncertain create is being looked up (its response was lost; the lookup failed with
    /// a 503 and waits an hour to look again) ends the lookup's wait: the run is interrupted, the create's intent
    /// stays open for the next run, and nothing is created again.
    @Test func aStopEndsTheWaitBetweenTwoLookupsOfAnUncertainCreate() async throws {
        let platform = FakePlatform()
        let stop = StopSignal()
        await platform.inject(.loseResponse, on: .createJob, nth: 1)
        await platform.inject(
            .perform {
                stop.requestStop()
                throw PlatformError(.server(status: 503, message: "busy"))
            },
            on: .findJob,
            nth: 1
        )
        let result = try await Self.stoppedOnTheRealClock(platform, stop: stop) { _ in DiscardingEventSink() }
        #expect(result == .interrupted, "the run waited out the wait between two lookups")
        #expect(await platform.count(.findJob) == 1, "the job was looked up again after the stop")
        let created = await platform.jobs.map(\.request.name)
        #expect(Set(created).count == created.count, "a job was created again: \(created)")
    }

    /// What each side of a stop race reports: the run's end, or the moment the stop was requested.
    enum StopRace: Sendable {
        case ended(RunResult, at: ContinuousClock.Instant)
        case stopped(at: ContinuousClock.Instant)

        /// Both sides together.
        struct Outcome: Sendable {
            var result: RunResult?
            var ended: ContinuousClock.Instant?
            var stopped: ContinuousClock.Instant?
            /// From the stop request to the run's end.
            var elapsed: Duration? { ended.flatMap { end in stopped.map { end - $0 } } }

            mutating func add(_ piece: StopRace) {
                switch piece {
                case .ended(let result, let at):
                    self.result = result
                    ended = at
                case .stopped(let at): stopped = at
                }
            }
        }
    }

    /// A stop that comes before a wait starts skips the wait; a cancelled task ends its wait with an error.
    @Test func aStopSignalsSleepEndsOnAStopOrACancellation() async throws {
        let stopped = StopSignal()
        stopped.requestStop()
        let skipped: Bool? = try await Self.within(.seconds(60)) {
            try await stopped.sleep(for: .seconds(3600), on: ContinuousClock())
            return true
        }
        #expect(skipped == true, "a wait after the stop was not skipped")

        let waiting = StopSignal()
        let outcome: String? = try await Self.within(.seconds(60)) {
            await withTaskGroup(of: String.self) { group in
                group.addTask {
                    do {
                        try await waiting.sleep(for: .seconds(3600), on: ContinuousClock())
                        return "ended"
                    } catch is CancellationError {
                        return "cancelled"
                    } catch {
                        return "\(error)"
                    }
                }
                group.cancelAll()
                return await group.next() ?? ""
            }
        }
        #expect(outcome == "cancelled", "a cancelled wait went on")
    }

    @Test func aStoppedJobStaysStoppedUntilARunRestartsItWithANewJob() async throws {
        let base = EngineFixtures.temporaryDirectory()
        let platform = FakePlatform()
        let plan = EngineFixtures.threeJobPlan(baseDirectory: base)
        let stop = StopSignal()
        let interrupted = try await Engine(
            EngineFixtures.configuration(plan, platform: platform, events: StopOnFirstStatus(stop), stop: stop)
        ).run()
        #expect(interrupted.result == .interrupted)
        let stopped = try await RunStopper(
            plan: plan,
            runID: RunID("run-1"),
            platform: platform,
            clock: TestClock(),
            pollInterval: .milliseconds(10)
        ).stop()
        #expect(!stopped.isEmpty)
        #expect(stopped.allSatisfy { $0.status.isTerminal || !$0.status.isSubmitted }, "\(stopped)")
        #expect(await platform.count(.stop) == stopped.filter { $0.status.isSubmitted }.count)
        let names = Set(stopped.map(\.name))
        let kept = try await Engine(EngineFixtures.configuration(plan, platform: platform)).run()
        #expect(kept.result == .failed)
        #expect(
            await platform.jobs.filter { names.contains($0.request.name) }.count == stopped.count,
            "a stopped job was redone without --restart-stopped"
        )
        #expect(kept.nodes.filter { names.contains($0.name) }.allSatisfy { $0.error?.contains("stopped") == true })
        var configuration = EngineFixtures.configuration(plan, platform: platform)
        configuration.restartsStoppedJobs = true
        let restarted = try await Engine(configuration).run()
        #expect(restarted.result == .succeeded)
        #expect(await platform.jobs.filter { names.contains($0.request.name) }.count == 2 * stopped.count)
        #expect(try Self.journal(base).contains { $0.kind == .jobStopped })
    }
}

/// Creates and submits queued behind other jobs' calls still go out inside their journaled window.
@Suite struct RequestWindowQueueTests {
    @Test func queuedSubmitsKeepTheirWindowBecauseThePermitIsTakenBeforeTheIntent() async throws {
        let base = EngineFixtures.temporaryDirectory()
        // A 2 s window: each call's own journaled intent (an fsync) must fit in it even on a loaded 2-core CI
        // machine, where a 300 ms window was sometimes spent before the call went out.
        let platform = FakePlatform(requestWindow: RequestWindow(timeout: .seconds(2), settle: .zero))
        let names = (1...6).map { "job\($0)" }
        for nth in 1...names.count { await platform.inject(.delay(.milliseconds(600)), on: .submit, nth: nth) }
        var settings = WorkflowSettings.default
        settings.workers.api = 1
        settings.defaultAttempts = 3
        let plan = Plan(
            workflow: "queue",
            source: "queue.yaml",
            baseDirectory: base,
            platform: .local,
            settings: settings,
            nodes: names.map { EngineFixtures.jobNode(EngineFixtures.job($0)) }
        )
        let outcome = try await Engine(EngineFixtures.configuration(plan, platform: platform)).run()
        #expect(outcome.result == .succeeded)
        // Six submits of 600 ms each behind one permit: the fifth and sixth start 2.4 s and 3 s after the first,
        // past the window, had they journaled their intent before waiting for the permit.
        #expect(await platform.unsentPastDeadline == 0, "a call waited for its permit inside its own window")
        #expect(await platform.count(.submit) == names.count)
        #expect(await platform.jobs.allSatisfy { $0.submissions == 1 })
    }
}

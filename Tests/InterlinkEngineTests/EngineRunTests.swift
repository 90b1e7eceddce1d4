import Foundation
import InterlinkCore
import InterlinkEngine
import InterlinkTestSupport
import Testing

@Suite struct EngineRunTests {
    @Test func runsEveryJobAndUploadsTheSharedInputOnce() async throws {
        let base = EngineFixtures.temporaryDirectory()
        let platform = FakePlatform()
        let sink = RecordingSink()
        let plan = EngineFixtures.threeJobPlan(baseDirectory: base)
        let summary = try await Engine(EngineFixtures.configuration(plan, platform: platform, events: sink)).run()
        #expect(summary.result == .succeeded)
        #expect(await platform.count(.upload) == 4)
        #expect(await platform.count(.createJob) == 3)
        let jobs = await platform.jobs
        let meshFiles = await platform.files.filter { $0.value.object.name == "mesh.bin" }.map(\.key)
        #expect(meshFiles.count == 1)
        for job in jobs where job.request.name != "c" {
            #expect(job.request.inputFiles.contains(JobInputFile(id: try #require(meshFiles.first), decompress: false)))
        }
        #expect(await platform.downloadCounts.count == 6)
        #expect(sink.events.filter { $0.node != nil }.allSatisfy { $0.job != nil })
        #expect(sink.events.last?.event == .runFinished)
    }

    @Test func aFailedJobBlocksItsDependentsButNotUnrelatedJobs() async throws {
        let base = EngineFixtures.temporaryDirectory()
        let platform = FakePlatform()
        await platform.end("a", with: .completed(.failure(reason: "Exceeded max number of restarts")))
        let plan = EngineFixtures.threeJobPlan(baseDirectory: base)
        let summary = try await Engine(EngineFixtures.configuration(plan, platform: platform)).run()
        let byName = Dictionary(uniqueKeysWithValues: summary.nodes.map { ($0.name, $0) })
        #expect(summary.result == .failed)
        #expect(byName["a"]?.outcome == .failed)
        #expect(byName["a"]?.error == "Exceeded max number of restarts")
        #expect(byName["b"]?.outcome == .succeeded)
        #expect(byName["c"]?.outcome == .blocked(by: .job("a")))
        #expect(await platform.jobs.map(\.request.name).sorted() == ["a", "b"])
    }

    @Test func retriesTransientFailuresWithCappedJitteredBackoff() async throws {
        let base = EngineFixtures.temporaryDirectory()
        let platform = FakePlatform()
        // The shared input uploads alone first, so its two failures are consecutive retries of one step.
        await platform.inject(.fail(PlatformError(.server(status: 503, message: "busy"))), on: .upload, nth: 1)
        await platform.inject(.fail(PlatformError(.server(status: 503, message: "busy"))), on: .upload, nth: 2)
        let clock = TestClock()
        let plan = EngineFixtures.threeJobPlan(baseDirectory: base)
        let summary = try await Engine(EngineFixtures.configuration(plan, platform: platform, clock: clock)).run()
        #expect(summary.result == .succeeded)
        #expect(await platform.count(.upload) == 6)
        // jitter 0.5 of ceilings 1 s and 2 s
        #expect(clock.sleeps.contains(.milliseconds(500)))
        #expect(clock.sleeps.contains(.seconds(1)))
    }

    @Test func givesUpAfterTheConfiguredAttempts() async throws {
        let base = EngineFixtures.temporaryDirectory()
        let platform = FakePlatform()
        for nth in 1...2 { await platform.inject(.fail(PlatformError(.storage("reset"))), on: .upload, nth: nth) }
        let plan = EngineFixtures.threeJobPlan(baseDirectory: base, attempts: 2)
        let summary = try await Engine(EngineFixtures.configuration(plan, platform: platform)).run()
        #expect(summary.result == .failed)
        #expect(summary.nodes.first?.error == "storage failed: reset")
    }

    @Test func lostCreateResponseIsAdoptedNotDuplicated() async throws {
        let base = EngineFixtures.temporaryDirectory()
        let platform = FakePlatform()
        await platform.inject(.loseResponse, on: .createJob, nth: 1)
        await platform.inject(.loseResponse, on: .submit, nth: 2)
        await platform.inject(.loseResponse, on: .registerFile, nth: 1)
        let plan = EngineFixtures.threeJobPlan(baseDirectory: base)
        let summary = try await Engine(EngineFixtures.configuration(plan, platform: platform)).run()
        #expect(summary.result == .succeeded)
        #expect(await platform.jobs.count == 3)
        #expect(await platform.jobs.allSatisfy { $0.submissions == 1 })
        #expect(await platform.files.count == 4)
        #expect(await platform.count(.findJob) >= 1)
    }

    @Test func credentialErrorsStopTheRun() async throws {
        let base = EngineFixtures.temporaryDirectory()
        let platform = FakePlatform()
        await platform.inject(.fail(PlatformError(.unauthorized("401"))), on: .upload, nth: 1)
        let plan = EngineFixtures.threeJobPlan(baseDirectory: base)
        let summary = try await Engine(EngineFixtures.configuration(plan, platform: platform)).run()
        #expect(summary.result != .succeeded)
        #expect(await platform.count(.createJob) == 0)
    }

    @Test func stopRequestInterruptsAndTheJournalResumes() async throws {
        let base = EngineFixtures.temporaryDirectory()
        let platform = FakePlatform()
        let stop = StopSignal()
        final class StopOnCreate: EventSink {
            let stop: StopSignal
            init(_ stop: StopSignal) { self.stop = stop }
            func receive(_ event: EngineEvent) {
                if event.event == .stageSucceeded, event.stage == .create { stop.requestStop() }
            }
        }
        let plan = EngineFixtures.threeJobPlan(baseDirectory: base)
        let first = try await Engine(
            EngineFixtures.configuration(plan, platform: platform, events: StopOnCreate(stop), stop: stop)
        ).run()
        #expect(first.result == .interrupted)
        let second = try await Engine(EngineFixtures.configuration(plan, platform: platform)).run()
        #expect(second.result == .succeeded)
        #expect(await platform.jobs.count == 3)
        #expect(await platform.jobs.allSatisfy { $0.submissions == 1 })
    }

    @Test func changedNodeIsRedoneAndUnchangedOnesKept() async throws {
        let base = EngineFixtures.temporaryDirectory()
        let platform = FakePlatform()
        let plan = EngineFixtures.threeJobPlan(baseDirectory: base)
        _ = try await Engine(EngineFixtures.configuration(plan, platform: platform)).run()
        let changed = EngineFixtures.threeJobPlan(baseDirectory: base, hashes: ["b": "h2"])
        let journal = try Journal(directory: RunDirectory(baseDirectory: base, runID: RunID("run-1")).path)
        let state = await journal.state
        await journal.close()
        let diff = PlanDiff.changes(of: changed, against: state)
        #expect(diff[.job("b")] == .changed)
        #expect(diff[.job("a")] == .unchanged)
        let summary = try await Engine(EngineFixtures.configuration(changed, platform: platform)).run()
        #expect(summary.result == .succeeded)
        #expect(await platform.jobs.map(\.request.name).sorted() == ["a", "b", "b", "c"])
    }
}

@Suite struct EngineFreeSpaceTests {
    @Test func outputsLargerThanTheFreeSpaceAreRefusedBeforeTheFirstByte() async throws {
        let base = EngineFixtures.temporaryDirectory()
        let platform = FakePlatform()
        await platform.claimOutputs(of: Int64.max / 4)
        let plan = EngineFixtures.threeJobPlan(baseDirectory: base)
        let summary = try await Engine(EngineFixtures.configuration(plan, platform: platform)).run()
        #expect(summary.result == .failed)
        #expect(await platform.count(.download) == 0, "nothing is downloaded")
        let byName = Dictionary(uniqueKeysWithValues: summary.nodes.map { ($0.name, $0) })
        for name in ["a", "b"] {
            let error = try #require(byName[name]?.error)
            #expect(error.contains("'\(base)/results/\(name)': not enough free space: the outputs need "), "\(error)")
            #expect(error.contains(" plus 15 %) and "), "\(error)")
        }
        #expect(byName["c"]?.outcome == .blocked(by: .job("a")))
        #expect(!FileManager.default.fileExists(atPath: base + "/results/a/results/data.csv"))
    }

    @Test func theRefusalNamesTheNeededAndTheAvailableBytes() throws {
        #expect(OutputSpace.refusal(needed: 1000, available: 1150, destination: "/d") == nil)
        let refusal = try #require(OutputSpace.refusal(needed: 1000, available: 1149, destination: "/d"))
        #expect(refusal.description.contains("the outputs need 1150 bytes (1000 plus 15 %) and 1149 bytes"))
        #expect(OutputSpace.refusal(needed: Int64.max, available: 0, destination: "/d") != nil)
    }
}

import Foundation
import InterlinkCore
import InterlinkEngine
import InterlinkTestSupport
import Testing

/// A journal cut short anywhere (its tail lost, while the platform kept everything the lost records described)
/// resumes without a second job for any key: the resume lists the platform's jobs once before its first create.
@Suite struct LostTailTests {
    @Test func everyPrefixOfARealJournalResumesWithoutDuplicateJobs() async throws {
        let referenceBase = EngineFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: referenceBase) }
        // One platform holds the finished run; every cut copy of its journal resumes the same run against it, so
        // every job a cut lost is there to be found, and any second create shows in the platform's own records.
        let platform = FakePlatform()
        let referencePlan = EngineFixtures.threeJobPlan(baseDirectory: referenceBase)
        let first = try await Engine(EngineFixtures.configuration(referencePlan, platform: platform)).run()
        #expect(first.result == .succeeded)
        let expected = try await CrashMatrixTests.projection(base: referenceBase, platform: platform)
        let journal = try Data(
            contentsOf: URL(
                fileURLWithPath: RunDirectory(baseDirectory: referenceBase, runID: RunID("run-1")).journalPath
            )
        )
        let lines = journal.split(separator: UInt8(ascii: "\n"))
        #expect(lines.count > 30)
        let listingsBefore = await platform.counts[.existingJobs] ?? 0

        try await (1..<lines.count).concurrentForEach(limit: 4) { kept in
            let base = EngineFixtures.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: base) }
            let plan = EngineFixtures.threeJobPlan(baseDirectory: base)
            let directory = RunDirectory(baseDirectory: base, runID: RunID("run-1"))
            try directory.freeze(plan)
            // The first `kept` whole lines: the tail after them is lost, the platform still holds what it said.
            try lines.prefix(kept).map { Data($0) + Data("\n".utf8) }.reduce(Data(), +)
                .write(to: URL(fileURLWithPath: directory.journalPath))
            let resumed = try await Engine(EngineFixtures.configuration(plan, platform: platform)).run()
            let label = "journal cut after line \(kept) of \(lines.count)"
            #expect(resumed.result == .succeeded, "\(label)")
            let reopened = try Journal(directory: directory.path)
            let state = await reopened.state
            await reopened.close()
            for (id, node) in state.nodes {
                let steps = Set(node.steps.filter { $0.value.isSucceeded }.map { $0.key.description })
                #expect(steps == expected.steps[id.rawValue], "\(label): \(id)")
                #expect(node.jobStatus?.name == expected.statuses[id.rawValue], "\(label): \(id)")
            }
        }
        let jobs = await platform.jobs
        #expect(jobs.map(\.request.name).sorted() == ["a", "b", "c"], "a job was created twice: \(jobs.count) jobs")
        #expect(jobs.allSatisfy { $0.submissions == 1 }, "a job was submitted twice")
        // One listing per resume at most (none when the cut kept every create).
        #expect((await platform.counts[.existingJobs] ?? 0) - listingsBefore <= lines.count - 1)
    }

    @Test func aNewRunListsNothingAndAResumeListsOnceForAllItsJobs() async throws {
        let base = EngineFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: base) }
        let platform = FakePlatform()
        let plan = EngineFixtures.threeJobPlan(baseDirectory: base)
        // Stopped early (the crash point closes the journal) after the shared input's records.
        _ = try? await Engine(EngineFixtures.configuration(plan, platform: platform, crashAfter: 6)).run()
        #expect(await platform.counts[.existingJobs] == nil)
        #expect(try await Engine(EngineFixtures.configuration(plan, platform: platform)).run().result == .succeeded)
        #expect(await platform.counts[.existingJobs] == 1)
        #expect(await platform.jobs.count == 3)
    }
}

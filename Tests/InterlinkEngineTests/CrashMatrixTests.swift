import Foundation
import InterlinkCore
import InterlinkEngine
import InterlinkTestSupport
import Testing

/// Stops a run after every journal record in turn, resumes it with a fresh engine, and checks from the fake
/// platform's own records that no side effect happened twice and that the end state equals an uncrashed run.
@Suite struct CrashMatrixTests {
    /// What a finished run looks like, independent of ids and timing.
    struct Projection: Equatable {
        var steps: [String: Set<String>]
        var statuses: [String: String]
        var downloads: [String: String]
    }

    static func projection(base: String, platform: FakePlatform) async throws -> Projection {
        let journal = try Journal(directory: RunDirectory(baseDirectory: base, runID: RunID("run-1")).path)
        let state = await journal.state
        await journal.close()
        var steps: [String: Set<String>] = [:]
        var statuses: [String: String] = [:]
        for (id, node) in state.nodes {
            steps[id.rawValue] = Set(node.steps.filter { $0.value.isSucceeded }.map { $0.key.description })
            statuses[id.rawValue] = node.jobStatus?.name
        }
        var downloads: [String: String] = [:]
        for (path, file) in await platform.disk { downloads[String(path.dropFirst(base.count))] = file.sha512 }
        return Projection(steps: steps, statuses: statuses, downloads: downloads)
    }

    @Test func everyCrashPointResumesWithoutDuplicateSideEffects() async throws {
        let referenceBase = EngineFixtures.temporaryDirectory()
        let reference = FakePlatform()
        let plan = EngineFixtures.threeJobPlan(baseDirectory: referenceBase)
        let summary = try await Engine(EngineFixtures.configuration(plan, platform: reference)).run()
        #expect(summary.result == .succeeded)
        let expected = try await Self.projection(base: referenceBase, platform: reference)
        let total = try String(
            contentsOfFile: RunDirectory(baseDirectory: referenceBase, runID: RunID("run-1")).journalPath,
            encoding: .utf8
        )
        .split(separator: "\n").count
        #expect(total > 30)

        // Each crash point has its own directory and platform: four at a time, not over thirty in series.
        try await (1...total).concurrentForEach(limit: 4) { crashAfter in
            let base = EngineFixtures.temporaryDirectory()
            let platform = FakePlatform()
            let plan = EngineFixtures.threeJobPlan(baseDirectory: base)
            do {
                _ = try await Engine(EngineFixtures.configuration(plan, platform: platform, crashAfter: crashAfter))
                    .run()
                Issue.record("run with a crash after record \(crashAfter) did not crash")
            } catch let error as JournalError {
                #expect(error.reason == .io("journal is closed"), "crash after \(crashAfter)")
            }
            let resumed = try await Engine(EngineFixtures.configuration(plan, platform: platform)).run()
            #expect(resumed.result == .succeeded, "crash after \(crashAfter)")
            let jobs = await platform.jobs
            #expect(
                jobs.map(\.request.name).sorted() == ["a", "b", "c"],
                "crash after \(crashAfter): jobs created once"
            )
            #expect(jobs.allSatisfy { $0.submissions == 1 }, "crash after \(crashAfter): jobs submitted once")
            #expect(await platform.files.count == 4, "crash after \(crashAfter): files registered once")
            #expect(
                await platform.downloadCounts.values.allSatisfy { $0 == 1 },
                "crash after \(crashAfter): downloads once"
            )
            #expect(try await Self.projection(base: base, platform: platform) == expected, "crash after \(crashAfter)")
        }
    }

    @Test func resumedUploadContinuesFromItsLastCheckpoint() async throws {
        let base = EngineFixtures.temporaryDirectory()
        let platform = FakePlatform()
        let plan = EngineFixtures.threeJobPlan(baseDirectory: base)
        // Records: runStarted + 4 nodePlanned, intent(upload mesh), checkpoint(part 1) = 7.
        await #expect(throws: JournalError.self) {
            try await Engine(EngineFixtures.configuration(plan, platform: platform, crashAfter: 7)).run()
        }
        _ = try await Engine(EngineFixtures.configuration(plan, platform: platform)).run()
        let mesh = try #require(plan.node(.shared("mesh")))
        let meshKey = StepRef(.upload, item: "0").idempotencyKey(
            run: RunID("run-1"),
            node: mesh.id,
            content: mesh.contentHash
        )
        #expect(await platform.partsSent[meshKey] == 2)
    }
}

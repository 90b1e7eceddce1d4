import Foundation
import InterlinkCore
import InterlinkEngine
import InterlinkTestSupport
import Testing

/// How a journal's last run ended, read from its end, agrees with folding the whole journal.
@Suite struct JournalLastRunTests {
    static func expected(_ data: Data) throws -> JournalReader.LastRun {
        let state = RunState(replaying: try JournalReader.parse(data, path: "journal.jsonl").records)
        return state.lastResult.map { .finished($0) } ?? .unfinished
    }

    @Test func everyPrefixOfRealJournalsAgreesWithTheFold() async throws {
        let base = EngineFixtures.temporaryDirectory()
        let platform = FakePlatform()
        await platform.end("a", with: .completed(.failure(reason: "Exceeded max number of restarts")))
        let plan = EngineFixtures.threeJobPlan(baseDirectory: base)
        // A failed run, then a second that succeeds: starts and ends of two runs in one journal.
        _ = try await Engine(EngineFixtures.configuration(plan, platform: platform)).run()
        await platform.end("a", with: .completed(.success))
        _ = try await Engine(EngineFixtures.configuration(plan, platform: platform)).run()
        let path = RunDirectory(baseDirectory: base, runID: RunID("run-1")).journalPath
        let journal = try Data(contentsOf: URL(fileURLWithPath: path))
        var ends = [0]
        for (index, byte) in journal.enumerated() where byte == UInt8(ascii: "\n") { ends.append(index + 1) }
        #expect(ends.count > 20)
        var seen: Set<JournalReader.LastRun> = []
        for end in ends {
            let prefix = journal.prefix(end)
            let expected = try Self.expected(prefix)
            #expect(JournalReader.lastRun(prefix) == expected, "the first \(end) bytes")
            seen.insert(expected)
            // A torn line after the prefix is left out, as the reader drops it.
            let torn = prefix + Data(#"{"kind":"runFinished","runResult":"succ"#.utf8)
            #expect(JournalReader.lastRun(torn) == expected, "the first \(end) bytes and a torn line")
        }
        #expect(seen == [.unfinished, .finished(.failed), .finished(.succeeded)])
    }

    @Test func theLastRunLevelLineDecidesAndADamagedOneIsUnknown() throws {
        let started =
            #"{"kind":"runStarted","pid":7,"platform":"local","resumed":false,"run":"r","seq":1,"#
            + #""time":"2026-12-07T16:31:12Z","v":1}"#
        let finished = #"{"kind":"runFinished","runResult":"interrupted","seq":2,"time":"2026-12-07T16:31:13Z","v":1}"#
        #expect(JournalReader.lastRun(Data((started + "\n" + finished + "\n").utf8)) == .finished(.interrupted))
        #expect(JournalReader.lastRun(Data((started + "\n").utf8)) == .unfinished)
        #expect(JournalReader.lastRun(Data()) == .unfinished)
        // A line naming the kind that is not such a record (damaged) cannot be read quickly.
        let damaged = #"{"kind":"runFinished","runResult":"???","seq":3}"#
        #expect(JournalReader.lastRun(Data((started + "\n" + damaged + "\n").utf8)) == .unknown)
    }

    /// A resume hands the engine the plan the folder holds: unchanged, `plan.json` is not written again; another
    /// plan (or none given) is.
    @Test func anUnchangedFrozenPlanIsNotWrittenAgain() async throws {
        let base = EngineFixtures.temporaryDirectory()
        let platform = FakePlatform()
        let plan = EngineFixtures.threeJobPlan(baseDirectory: base)
        _ = try await Engine(EngineFixtures.configuration(plan, platform: platform)).run()
        let path = RunDirectory(baseDirectory: base, runID: RunID("run-1")).planPath
        func inode() throws -> Int? {
            (try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? NSNumber)?.intValue
        }
        let first = try inode()
        var configuration = EngineFixtures.configuration(plan, platform: platform)
        configuration.frozenPlan = plan
        #expect(try await Engine(configuration).run().result == .succeeded)
        #expect(try inode() == first, "an unchanged plan was written again")
        var changed = plan
        changed.workflow += "-renamed"
        configuration = EngineFixtures.configuration(changed, platform: platform)
        configuration.frozenPlan = plan
        _ = try await Engine(configuration).run()
        #expect(try inode() != first, "a changed plan was not written")
        #expect(try RunDirectory(baseDirectory: base, runID: RunID("run-1")).frozenPlan()?.workflow == changed.workflow)
    }
}

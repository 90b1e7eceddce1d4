import Foundation
import InterlinkCore
import InterlinkEngine
import Testing

@Suite struct JournalTests {
    static func record(_ n: Int) -> JournalRecord {
        .intent(.job("j\(n)"), StepRef(.create), attempt: 1, key: IdempotencyKey("r/job:j\(n)/create"))
    }

    /// A `nodePlanned` record for the node ``record(_:)`` names.
    static func planned(_ n: Int) -> JournalRecord {
        .nodePlanned(.job("j\(n)"), name: "j\(n)", contentHash: "h")
    }

    @Test func appendsNumberedSortedKeyLinesAndReplaysThem() async throws {
        let directory = EngineFixtures.temporaryDirectory()
        let journal = try Journal(directory: directory)
        try await journal.append(Self.planned(1))
        try await journal.append([Self.record(1), .runFinished(.succeeded)])
        await journal.close()
        let text = try String(contentsOfFile: directory + "/journal.jsonl", encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[1].hasPrefix("{\"attempt\":1,\"key\":\"r/job:j1/create\",\"kind\":\"intent\""))
        #expect(lines[1].contains("\"seq\":2"))
        #expect(lines[1].contains("\"v\":1"))
        let reopened = try Journal(directory: directory)
        let state = await reopened.state
        await reopened.close()
        #expect(state.lastSequence == 3)
        #expect(state.lastResult == .succeeded)
        #expect(state.nodes[.job("j1")]?[StepRef(.create)].phase == .inFlight(attempt: 1))
    }

    @Test func deferredRecordsAreWrittenAtOnceInOrderAndReplayedAfterClose() async throws {
        let directory = EngineFixtures.temporaryDirectory()
        let journal = try Journal(directory: directory)
        try await journal.append([Self.planned(1), Self.planned(2)])
        try await journal.append(Self.record(1))
        var outcome = JournalEntry.Outcome(
            node: .job("j1"),
            step: StepRef(.create),
            attempt: 1,
            key: IdempotencyKey("r/job:j1/create"),
            result: .succeeded
        )
        outcome.jobID = JobID("J1")
        try await journal.append(.outcome(outcome), durability: .deferred)
        // Written at once, in order, for any reader (and a killed process leaves it in the page cache).
        let written = try String(contentsOfFile: directory + "/journal.jsonl", encoding: .utf8)
        #expect(written.split(separator: "\n").count == 4 && written.contains("\"kind\":\"outcome\""))
        // The next intent's fsync covers the outcome before it: one fsync for both.
        try await journal.append(Self.record(2))
        try await journal.sync()
        try await journal.append(.outcome(outcome), durability: .deferred)
        await journal.close()
        let reopened = try Journal(directory: directory)
        let state = await reopened.state
        await reopened.close()
        #expect(state.lastSequence == 6)
        #expect(state.nodes[.job("j1")]?[StepRef(.create)].isSucceeded == true)
        #expect(state.nodes[.job("j2")]?[StepRef(.create)].phase == .inFlight(attempt: 1))
    }

    /// Intents appended at once by many steps share syncs (a group commit), each returning durable, in one order.
    @Test func concurrentSyncedAppendsShareSyncs() async throws {
        let directory = EngineFixtures.temporaryDirectory()
        let journal = try Journal(directory: directory)
        let count = 64
        try await journal.append((1...count).map(Self.planned))
        let before = await journal.syncCount
        try await withThrowingTaskGroup(of: Void.self) { group in
            for n in 1...count { group.addTask { try await journal.append(Self.record(n)) } }
            try await group.waitForAll()
        }
        let syncs = await journal.syncCount - before
        #expect(syncs >= 1 && syncs < count, "\(syncs) syncs for \(count) concurrent appends")
        await journal.close()
        let reopened = try Journal(directory: directory)
        let state = await reopened.state
        await reopened.close()
        #expect(state.lastSequence == 2 * count)
        #expect((1...count).allSatisfy { state.nodes[.job("j\($0)")]?[StepRef(.create)].isInFlight == true })
    }

    @Test func dropsATornLastLineAndTruncatesItBeforeAppending() async throws {
        let directory = EngineFixtures.temporaryDirectory()
        let journal = try Journal(directory: directory)
        try await journal.append(.nodePlanned(.job("j1"), name: "j1", contentHash: "h"))
        await journal.close()
        let handle = try #require(FileHandle(forWritingAtPath: directory + "/journal.jsonl"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"kind\":\"intent\",\"seq\":2,\"v\":1,\"ti".utf8))
        try handle.close()
        let reopened = try Journal(directory: directory)
        #expect(reopened.replayedCount == 1)
        try await reopened.append(Self.record(1))
        await reopened.close()
        let lines = try String(contentsOfFile: directory + "/journal.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[1].contains("\"seq\":2"))
    }

    @Test func reportsACorruptMiddleLineWithItsNumberAndWritesNothing() async throws {
        let directory = EngineFixtures.temporaryDirectory()
        let journal = try Journal(directory: directory)
        try await journal.append([Self.planned(1), Self.record(1), Self.record(1)])
        await journal.close()
        let path = directory + "/journal.jsonl"
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        lines[1] = "{not json"
        let corrupt = lines.joined(separator: "\n") + "\n"
        try corrupt.write(toFile: path, atomically: true, encoding: .utf8)
        let error = #expect(throws: JournalError.self) {
            try Journal(directory: directory)
        }
        #expect(error.map { "\($0)".hasPrefix("\(path):2: error: line 2 is not a valid journal record") } == true)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == corrupt)
    }

    @Test func refusesASecondRunnerAndNamesTheHolder() async throws {
        let directory = EngineFixtures.temporaryDirectory()
        let first = try Journal(directory: directory)
        let error = #expect(throws: JournalError.self) {
            try Journal(directory: directory)
        }
        #expect(error?.reason == .locked(pid: getpid()))
        #if os(Linux)
        #expect(error.map { "\($0)".contains("run is in use by another runner (pid \(getpid()): '") } == true)
        #expect(error?.holderCommand?.isEmpty == false, "the holder's command line is named")
        #else
        #expect(error.map { "\($0)".contains("run is in use by another runner (pid \(getpid())") } == true)
        #endif
        await first.close()
        let second = try Journal(directory: directory)
        await second.close()
    }

    @Test func crashPointClosesTheJournalAfterTheNthRecordAsADeadProcessWould() async throws {
        let directory = EngineFixtures.temporaryDirectory()
        let journal = try Journal(directory: directory, crashPoint: CrashPoint(afterRecord: 2, action: .closeJournal))
        try await journal.append(Self.planned(1))
        let fired = await #expect(throws: JournalError.self) { try await journal.append(Self.record(1)) }
        #expect(fired?.reason == .io("journal is closed"))
        await #expect(throws: JournalError.self) { try await journal.append(Self.record(1)) }
        // The lock went with the "process": another runner can open the run at once and sees both records.
        let reopened = try Journal(directory: directory)
        #expect(reopened.replayedCount == 2)
        await reopened.close()
    }

    @Test func replaysOneHundredThousandRecords() throws {
        let data = try JournalFixtures.synthetic(records: 100_000)
        let contents = try JournalReader.parse(data, path: "synthetic")
        let state = RunState(replaying: contents.records)
        #expect(state.lastSequence == 100_000)
        #expect(state.nodes.count == 1_000)
        #expect(state.nodes[.job("job-8")]?[StepRef(.upload, item: "0")].isSucceeded == true)
    }
}

import Foundation
import InterlinkCore
import InterlinkEngine
import Testing

/// A journal folded before its lock is taken is taken by the journal opened under the lock only while the file
/// is exactly what was read.
@Suite struct FoldedJournalTests {
    /// A closed journal of a planned node and its create intent.
    private func makeJournal() async throws -> String {
        let directory = EngineFixtures.temporaryDirectory()
        let journal = try Journal(directory: directory)
        try await journal.append([JournalTests.planned(1), JournalTests.record(1)])
        await journal.close()
        return directory
    }

    /// The fold, marked so that a journal that takes it shows it: its record count is one no file holds.
    private func markedFold(of directory: String, records: Int = 2) throws -> FoldedJournal {
        var folded = try FoldedJournal.read(path: directory + "/journal.jsonl")
        #expect(folded.identity != nil)
        #expect(folded.recordCount == records && folded.state.lastSequence == records)
        folded.recordCount = 99
        return folded
    }

    /// The record count a journal opened with `folded` replayed.
    private func replayed(_ directory: String, folded: FoldedJournal) async throws -> Int {
        let journal = try Journal(directory: directory, folded: folded)
        let count = journal.replayedCount
        await journal.close()
        return count
    }

    @Test func anUnchangedFileIsNotReadAgain() async throws {
        let directory = try await makeJournal()
        let folded = try markedFold(of: directory)
        #expect(try await replayed(directory, folded: folded) == 99)
    }

    @Test func anAppendedRecordATouchOrAReplacedFileMakesTheJournalReadItAgain() async throws {
        let directory = try await makeJournal()
        let path = directory + "/journal.jsonl"
        var folded = try markedFold(of: directory)
        let journal = try Journal(directory: directory)
        try await journal.append(JournalTests.planned(2))
        await journal.close()
        #expect(try await replayed(directory, folded: folded) == 3)

        folded = try markedFold(of: directory, records: 3)
        try await Task.sleep(for: .milliseconds(20))
        try FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: path)
        #expect(try await replayed(directory, folded: folded) == 3)

        // The same bytes in another file (another inode) under the name.
        folded = try FoldedJournal.read(path: path)
        folded.recordCount = 99
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try FileManager.default.removeItem(atPath: path)
        try bytes.write(to: URL(fileURLWithPath: path))
        #expect(try await replayed(directory, folded: folded) == 3)
    }

    @Test func aFoldWithATornLastLineIsNeverTaken() async throws {
        let directory = try await makeJournal()
        let path = directory + "/journal.jsonl"
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"kind\":\"intent\",\"se".utf8))
        try handle.close()
        let folded = try FoldedJournal.read(path: path)
        #expect(folded.identity == nil && folded.recordCount == 2)
        // The journal reads the file itself and drops the torn line.
        let journal = try Journal(directory: directory, folded: folded)
        #expect(journal.replayedCount == 2)
        await journal.close()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasSuffix("\n") && text.split(separator: "\n").count == 2)
    }

    @Test func recordsReadElsewhereAreNeverTaken() async throws {
        let directory = try await makeJournal()
        var folded = FoldedJournal(records: [JournalTests.planned(1)])
        folded.recordCount = 99
        #expect(folded.identity == nil)
        #expect(try await replayed(directory, folded: folded) == 2)
    }

    /// What `fold` gives, as `parse` then a replay of every record give it.
    private func expectFoldMatchesParse(_ data: Data, _ label: String) throws {
        let parsed = try JournalReader.parse(data, path: label)
        let folded = try JournalReader.fold(data, path: label)
        #expect(folded.state == RunState(replaying: parsed.records), "\(label)")
        #expect(folded.recordCount == parsed.records.count, "\(label)")
        #expect(folded.started == parsed.records.first?.time, "\(label)")
        #expect(folded.validLength == parsed.validLength, "\(label)")
    }

    @Test func foldingInWavesGivesWhatParsingEveryRecordGives() throws {
        // Real runs' journals, a large one in many chunks (more than one wave), and each with a torn last line.
        var journals = try JournalFixtures.written.map { ($0, try JournalFixtures.data($0)) }
        journals.append(("synthetic", try JournalFixtures.synthetic(records: 30_000)))
        for (name, data) in journals {
            try expectFoldMatchesParse(data, name)
            try expectFoldMatchesParse(data + Data("{\"kind\":\"int".utf8), name + " torn")
        }
        try expectFoldMatchesParse(Data(), "empty")
    }

    @Test func aCorruptOrUnknownNodeLineIsReportedAsParsingReportsIt() throws {
        var data = try JournalFixtures.synthetic(records: 30_000)
        // A record about a node no earlier line planned, deep in the file (in a later wave than the first).
        let stray = JournalRecord.intent(.job("nowhere"), StepRef(.create), attempt: 1, key: IdempotencyKey("k"))
        var lines = data.split(separator: UInt8(ascii: "\n")).map { Data($0) }
        lines.insert(try Journal.makeEncoder().encode(stray), at: 25_000)
        data = Data(lines.joined(separator: [UInt8(ascii: "\n")]) + [UInt8(ascii: "\n")])
        var parsed = ""
        do { _ = try JournalReader.parse(data, path: "j") } catch { parsed = "\(error)" }
        #expect(parsed.contains("line 25001"), "\(parsed)")
        #expect {
            _ = try JournalReader.fold(data, path: "j")
        } throws: { error in
            "\(error)" == parsed
        }
    }
}

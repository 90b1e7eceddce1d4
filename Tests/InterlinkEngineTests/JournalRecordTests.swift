import Foundation
import InterlinkCore
import InterlinkEngine
import Testing

/// Journal records are a closed enum that reads and writes the flat JSON lines of earlier builds; a line that
/// lacks a required field, names a node the plan does not have, or has an unknown version is refused by line.
@Suite struct JournalRecordTests {
    @Test(arguments: JournalFixtures.written)
    func readsAndRewritesJournalsOfEarlierBuildsByteForByte(fixture: String) throws {
        let lines = try JournalFixtures.lines(fixture)
        let contents = try JournalReader.parse(JournalFixtures.data(fixture), path: fixture)
        #expect(contents.records.count == lines.count)
        let encoder = Journal.makeEncoder()
        for (record, line) in zip(contents.records, lines) {
            #expect(String(decoding: try encoder.encode(record), as: UTF8.self) == line)
        }
    }

    @Test func foldsAResumedJournalOfAnEarlierBuild() throws {
        let records = try JournalReader.parse(JournalFixtures.data("resumed-run.jsonl"), path: "r").records
        let state = RunState(replaying: records)
        #expect(state.starts == 2)
        #expect(state.lastResult == .succeeded)
        #expect(state.platform == "local")
        #expect(state.nodes.count == 4)
        #expect(state.nodes[.shared("mesh")]?[StepRef(.register, item: "0")].isSucceeded == true)
        for job in ["post", "solve-coarse", "solve-fine"] {
            #expect(state.nodes[.job(job)]?.jobStatus?.name == "completed", "\(job)")
        }
    }

    @Test func foldsAFailedJournalOfAnEarlierBuild() throws {
        let records = try JournalReader.parse(JournalFixtures.data("failed-run.jsonl"), path: "f").records
        let state = RunState(replaying: records)
        #expect(state.lastResult == .failed)
        #expect(state.nodes[.job("post")]?.blockedBy == .job("solve-fine"))
        #expect(records.contains { if case .outcome(let outcome) = $0.entry { outcome.reconciled } else { false } })
    }

    @Test(arguments: [
        (JournalRecordKind.runStarted, "pid"), (.nodePlanned, "contentHash"), (.intent, "attempt"),
        (.checkpoint, "checkpoint"), (.outcome, "result"), (.jobStatus, "status"), (.nodeBlocked, "dependency"),
        (.runFinished, "runResult"), (.intent, "stage"), (.outcome, "seq"), (.jobStatus, "time"),
    ])
    func refusesARecordWithoutARequiredFieldNamingTheLineAndTheField(kind: JournalRecordKind, field: String) throws {
        let fixture = "failed-run.jsonl"
        let line = try JournalFixtures.firstLine(of: kind, in: fixture)
        let data = try JournalFixtures.editing(fixture, line: line) { $0[field] = nil }
        let error = #expect(throws: JournalError.self) { try JournalReader.parse(data, path: "journal.jsonl") }
        guard case .corruptLine(let reported, let detail) = error?.reason else {
            Issue.record("expected a corrupt line, got \(String(describing: error))")
            return
        }
        #expect(reported == line)
        #expect(detail.contains("'\(field)'"), "\(detail)")
        #expect(error.map { "\($0)".hasPrefix("journal.jsonl:\(line): error: line \(line) is not a valid") } == true)
    }

    @Test func refusesACompleteLastLineWithoutARequiredFieldRatherThanDroppingIt() throws {
        let fixture = "failed-run.jsonl"
        let last = try JournalFixtures.lines(fixture).count
        let data = try JournalFixtures.editing(fixture, line: last) { $0["runResult"] = nil }
        let error = #expect(throws: JournalError.self) { try JournalReader.parse(data, path: "j") }
        #expect(error?.line == last)
    }

    @Test(arguments: ["node", "dependency"])
    func refusesARecordAboutANodeThePlanDoesNotHave(field: String) throws {
        let fixture = "failed-run.jsonl"
        let kind: JournalRecordKind = field == "node" ? .jobStatus : .nodeBlocked
        let line = try JournalFixtures.firstLine(of: kind, in: fixture)
        let data = try JournalFixtures.editing(fixture, line: line) { $0[field] = "job:ghost" }
        let error = #expect(throws: JournalError.self) { try JournalReader.parse(data, path: "j") }
        guard case .corruptLine(let reported, let detail) = error?.reason else {
            Issue.record("expected a corrupt line, got \(String(describing: error))")
            return
        }
        #expect(reported == line)
        #expect(detail.contains("node 'job:ghost'"), "\(detail)")
    }

    @Test(arguments: [5, -1])
    func refusesAnUnknownVersionNamingTheLineAndTheVersionsThisBuildReads(version: Int) throws {
        let data = try JournalFixtures.editing("resumed-run.jsonl", line: 7) { $0["v"] = version }
        let error = #expect(throws: JournalError.self) { try JournalReader.parse(data, path: "journal.jsonl") }
        #expect(error?.reason == .unsupportedVersion(line: 7, version: version))
        #expect(
            error.map { "\($0)" }
                == "journal.jsonl:7: error: line 7 is a version \(version) journal record; this build reads version 1\n"
                + "  help: continue this run with the rescale-int release that wrote it, or a newer one"
        )
    }

    @Test func refusesANewerVersionEvenWhenItsShapeDoesNotDecode() throws {
        let lines = try JournalFixtures.lines("resumed-run.jsonl")
        let last = lines.count
        let data = try JournalFixtures.editing("resumed-run.jsonl", line: last) { object in
            object["v"] = 2
            object["seq"] = "a string in version 2"
        }
        let error = #expect(throws: JournalError.self) { try JournalReader.parse(data, path: "j") }
        #expect(error?.reason == .unsupportedVersion(line: last, version: 2))
    }

    @Test func refusesALineWithoutAVersion() throws {
        let data = try JournalFixtures.editing("resumed-run.jsonl", line: 3) { $0["v"] = nil }
        let error = #expect(throws: JournalError.self) { try JournalReader.parse(data, path: "j") }
        #expect(error?.reason == .corruptLine(line: 3, detail: "the required field 'v' is missing"))
    }
}

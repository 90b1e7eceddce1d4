import Foundation
import InterlinkCLI
import InterlinkCore
import InterlinkEngine
import Testing

/// Plain lines and tables, without a terminal (the live board is in ``ProgressBoardTests``).
@Suite struct ProgressTests {
    static let run = RunID("r1")

    static func event(_ kind: EngineEvent.Kind, job: String = "Run_1", stage: StageKind? = nil) -> EngineEvent {
        var event = EngineEvent(kind, run: run, node: .job(job), job: job)
        event.stage = stage
        event.attempt = 1
        return event
    }

    @Test func plainLinesNameTheJobAndSkipTransferProgress() throws {
        let date = Date(timeIntervalSince1970: 1_790_000_000)
        var failed = Self.event(.stageFailed, stage: .create)
        failed.message = "the platform refused the job"
        #expect(
            ProgressRenderer.line(for: failed, at: date)
                == "2026-09-21T14:13:20Z Run_1: create failed: the platform refused the job"
        )
        #expect(ProgressRenderer.line(for: Self.event(.transferProgress, stage: .upload), at: date) == nil)
    }

    @Test func tablePadsEveryColumnButTheLast() {
        let table = TextTable(header: ["A", "LONG"], rows: [["xyz", "1"], ["", "22"]])
        #expect(table.rendered == "A    LONG\n---  ----\nxyz  1\n     22\n")
    }

    @Test func tableCellsShowEscapeSequencesAsTextAndPadByWhatIsShown() {
        let table = TextTable(header: ["JOB", "STATE"], rows: [["a\u{1b}[2J", "done"], ["b", "failed"]])
        #expect(table.rendered == "JOB         STATE\n----------  ------\na\\u{1b}[2J  done\nb           failed\n")
    }

    @Test func jobsAStopKeptFromStartingReadNotStartedStoppedByYou() {
        let plan = ProgressBoardTests.plan(["a", "b"], uploads: 0)
        let state = RunState(replaying: [JournalRecord]())
        let summary = RunSummary(
            runID: Self.run,
            result: .interrupted,
            plan: plan,
            state: state,
            outcomes: [.job("a"): .interrupted]
        )
        let rows = RunReport.table(summary).split(separator: "\n").dropFirst(2)
        #expect(rows.count == 2)
        for row in rows { #expect(row.contains("not started (stopped by you)"), "\(row)") }
    }

    @Test func resultsMapToExitCodes() {
        #expect(RunReport.exitStatus(of: .succeeded).rawValue == 0)
        #expect(RunReport.exitStatus(of: .failed).rawValue == 1)
        #expect(RunReport.exitStatus(of: .interrupted).rawValue == 130)
    }
}

import Foundation
import InterlinkCLI
import InterlinkCore
import InterlinkEngine
import Testing

/// The progress board, plain lines and tables, without a terminal.
@Suite struct ProgressTests {
    static let run = RunID("r1")

    static func event(_ kind: EngineEvent.Kind, job: String = "Run_1", stage: StageKind? = nil) -> EngineEvent {
        var event = EngineEvent(kind, run: run, node: .job(job), job: job)
        event.stage = stage
        event.attempt = 1
        return event
    }

    @Test func boardCountsStagesAndShowsTransfersWithRateAndETA() {
        var board = ProgressBoard()
        let start = ContinuousClock.now
        var started = EngineEvent(.runStarted, run: Self.run)
        started.nodes = 2
        board.apply(started, at: start)
        board.apply(Self.event(.stageStarted, stage: .upload), at: start)
        board.apply(Self.event(.stageStarted, job: "Run_2", stage: .upload), at: start)
        board.apply(Self.event(.stageSucceeded, job: "Run_2", stage: .upload), at: start)
        var progress = Self.event(.transferProgress, stage: .upload)
        progress.bytes = 0
        progress.totalBytes = 20_000_000
        board.apply(progress, at: start)
        progress.bytes = 10_000_000
        board.apply(progress, at: start + .seconds(2))
        let lines = board.lines(at: start + .seconds(2))
        #expect(lines.first == "upload    [##########----------] 1/2 done")
        #expect(lines.last == "  ↑ Run_1  10.0/20.0 MB  5.0 MB/s  ETA 2s")
        board.apply(Self.event(.stageFailed, stage: .upload), at: start + .seconds(3))
        #expect(board.lines(at: start + .seconds(3)) == ["upload    [##########----------] 1/2 done, 1 failed"])
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

    @Test func resultsMapToExitCodes() {
        #expect(RunReport.exitStatus(of: .succeeded).rawValue == 0)
        #expect(RunReport.exitStatus(of: .failed).rawValue == 1)
        #expect(RunReport.exitStatus(of: .interrupted).rawValue == 130)
    }
}

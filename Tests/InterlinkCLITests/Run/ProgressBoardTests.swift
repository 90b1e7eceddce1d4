import Foundation
import InterlinkCLI
import InterlinkCore
import InterlinkEngine
import Synchronization
import Testing

/// The live board: denominators from the plan, bars equal to counters, transfers, statuses, fitting the width,
/// and what a terminal shows of the renderer's bytes (``ScreenModel``).
@Suite struct ProgressBoardTests {
    static let run = RunID("r1")

    /// A plan of `names.count` jobs, each with `uploads` uploads and every stage.
    static func plan(_ names: [String], uploads: Int = 2) -> Plan {
        let nodes = names.map { name in
            let job = JobSpec(
                name: name,
                analysis: AnalysisSpec(code: "user_included"),
                command: "true",
                hardware: HardwareSpec(coreType: "emerald", coresPerSlot: 1, walltime: Walltime(hours: 1))
            )
            return PlanNode(
                id: .job(name),
                kind: .job(job),
                stages: [.tar, .encrypt, .upload, .register, .create, .submit, .poll, .download],
                dependencies: [],
                uploads: (0..<uploads).map {
                    PlannedUpload(
                        name: "\(name)-\($0).tar",
                        source: .file(path: "/x"),
                        decompress: true,
                        fileCount: 1,
                        bytes: 10
                    )
                },
                existingFiles: [],
                contentHash: "h"
            )
        }
        return Plan(
            workflow: "w",
            source: "w.yaml",
            baseDirectory: "/tmp/w",
            platform: .local,
            settings: .default,
            nodes: nodes
        )
    }

    static func event(
        _ kind: EngineEvent.Kind,
        _ job: String,
        _ stage: StageKind? = nil,
        item: String? = nil
    ) -> EngineEvent {
        var event = EngineEvent(kind, run: run, node: .job(job), job: job)
        event.stage = stage
        event.item = item
        event.attempt = 1
        return event
    }

    @Test func denominatorsComeFromThePlanAndEachBarEqualsItsCounter() {
        var board = ProgressBoard(plan: Self.plan(["a", "b", "c"]), runID: Self.run)
        let now = ContinuousClock.now
        for (job, item) in [("a", "0"), ("a", "1"), ("b", "0")] {
            board.apply(Self.event(.stageStarted, job, .upload, item: item), at: now)
            board.apply(Self.event(.stageSucceeded, job, .upload, item: item), at: now)
        }
        board.apply(Self.event(.stageStarted, "c", .upload, item: "0"), at: now)
        let upload = board.lines(at: now, width: 80).first { $0.hasPrefix("upload") }
        #expect(upload == "upload   [######--------------]  1/3 jobs  3/6 files  1 active")
        let counts = board.counts(of: .upload)
        #expect(counts.total == 3 && counts.done == 1 && counts.files == 6 && counts.filesDone == 3)
        // Every other stage has the same denominator and nothing done.
        #expect(board.counts(of: .create).total == 3)
        #expect(board.counts(of: .download).files == nil)
        #expect(board.lines(at: now).first?.contains("3 jobs: 0 done, 3 to go") == true)
    }

    @Test func aRetriedAttemptIsNotAFailureAndDownloadsCountFilesOnceListed() {
        var board = ProgressBoard(plan: Self.plan(["a"], uploads: 1), runID: Self.run)
        let now = ContinuousClock.now
        board.apply(Self.event(.stageFailed, "a", .create), at: now)
        #expect(board.counts(of: .create).failed == 1)
        board.apply(Self.event(.stageRetrying, "a", .create), at: now)
        #expect(board.counts(of: .create).failed == 0)
        #expect(board.counts(of: .create).active == 1)
        var listed = Self.event(.stageSucceeded, "a", .download)
        listed.files = 2
        board.apply(listed, at: now)
        board.apply(Self.event(.stageSucceeded, "a", .download, item: "out/1.txt"), at: now)
        #expect(board.counts(of: .download).done == 0)
        #expect(board.counts(of: .download).files == 2)
        board.apply(Self.event(.stageSucceeded, "a", .download, item: "out/2.txt"), at: now)
        let download = board.counts(of: .download)
        #expect(download.done == 1 && download.filesDone == 2)
    }

    @Test func transfersShowDoneTotalPercentRateAndETA() {
        var board = ProgressBoard(plan: Self.plan(["Run_1"], uploads: 1), runID: Self.run)
        let start = ContinuousClock.now
        var progress = Self.event(.transferProgress, "Run_1", .upload, item: "0")
        progress.bytes = 0
        progress.totalBytes = 20_000_000
        board.apply(progress, at: start)
        progress.bytes = 10_000_000
        board.apply(progress, at: start + .seconds(2))
        #expect(board.lines(at: start + .seconds(2)).contains("  ↑ Run_1  10.0/20.0 MB  50%  5.0 MB/s  ETA 0:02"))
    }

    @Test func jobsAreCountedByPlatformStatus() {
        var board = ProgressBoard(plan: Self.plan(["a", "b", "c"], uploads: 0), runID: Self.run)
        let now = ContinuousClock.now
        for (job, status) in [("a", "queued"), ("b", "executing"), ("c", "queued")] {
            var event = Self.event(.jobStatusChanged, job)
            event.status = status
            board.apply(event, at: now)
        }
        #expect(board.lines(at: now).contains("on platform: 2 queued 1 executing"))
    }

    @Test(arguments: [50, 200])
    func noLineIsWiderThanTheTerminalAndNamesKeepTheirNumbers(width: Int) {
        let names = (1...3).map { "a_very_long_parameter_study_case_name_with_many_words_\($0)" }
        var board = ProgressBoard(plan: Self.plan(names), runID: Self.run)
        let start = ContinuousClock.now
        for (index, name) in names.enumerated() {
            var progress = Self.event(.transferProgress, name, .upload, item: "0")
            progress.bytes = Int64(index) * 1_000_000
            progress.totalBytes = 9_000_000
            board.apply(progress, at: start)
            progress.bytes = Int64(index) * 1_000_000 + 2_000_000
            board.apply(progress, at: start + .seconds(1))
        }
        board.stopping("stopping: no new steps start, running steps finish their checkpoint (press Ctrl-C again)")
        let lines = board.lines(at: start + .seconds(1), width: width)
        for line in lines { #expect(line.count < width, "\(line.count) columns: \(line)") }
        for index in 1...3 {
            // Shortened in the middle, the name keeps its number.
            #expect(lines.contains { $0.hasPrefix("  ↑ ") && $0.contains("_\(index)  ") }, "\(lines)")
        }
        #expect(lines.contains { $0.hasPrefix("upload") && $0.contains("0/3 jobs") && $0.contains("0/6 files") })
    }
}

/// Collects what a renderer writes.
final class Capture: Sendable {
    private let text = Mutex("")
    var value: String { text.withLock { $0 } }
    func append(_ more: String) { text.withLock { $0 += more } }
    /// How many frames the live board drew (each starts by erasing to the end of the screen).
    var frames: Int {
        let bytes = Array(value.utf8)
        return bytes.indices.dropLast(2).filter { bytes[$0] == 0x1B && bytes[$0 + 1] == 0x5B && bytes[$0 + 2] == 0x4A }
            .count
    }
}

/// The renderer's bytes on a model terminal.
@Suite struct LiveBoardScreenTests {
    static func renderer(_ capture: Capture, width: Int, tick: Duration = .seconds(1)) -> ProgressRenderer {
        ProgressRenderer(
            mode: .live,
            errorOutput: { capture.append($0) },
            standardOutput: { _ in },
            terminalWidth: { width },
            tickInterval: tick,
            controlsTerminal: false
        )
    }

    /// A run's inputs: stages of three long-named jobs, transfers, statuses, then the stop message.
    static func inputs(_ names: [String]) -> [ProgressInput] {
        var inputs: [ProgressInput] = []
        for name in names {
            inputs.append(.event(ProgressBoardTests.event(.stageStarted, name, .upload, item: "0")))
            var progress = ProgressBoardTests.event(.transferProgress, name, .upload, item: "0")
            progress.bytes = 1_000_000
            progress.totalBytes = 4_000_000
            inputs.append(.event(progress))
        }
        inputs.append(.event(ProgressBoardTests.event(.stageSucceeded, names[0], .upload, item: "0")))
        var status = ProgressBoardTests.event(.jobStatusChanged, names[1])
        status.status = "queued"
        inputs.append(.event(status))
        inputs.append(.notice("platform unreachable (connection refused): retrying in 8 s, attempt 3 of 11"))
        inputs.append(.stopping(RunSession.stopMessage))
        return inputs
    }

    @Test(arguments: [50, 200])
    func theScreenShowsExactlyTheLastFrameWithoutWrapping(width: Int) async {
        let names = (1...3).map { "case_with_a_rather_long_descriptive_name_\($0)" }
        let plan = ProgressBoardTests.plan(names, uploads: 1)
        let capture = Capture()
        let (stream, continuation) = AsyncStream.makeStream(of: ProgressInput.self)
        for input in Self.inputs(names) { continuation.yield(input) }
        continuation.finish()
        await Self.renderer(capture, width: width)
            .consume(stream, board: ProgressBoard(plan: plan, runID: ProgressBoardTests.run))
        var screen = ScreenModel(width: width)
        screen.feed(capture.value)
        #expect(screen.wraps == 0)
        #expect(screen.unknownSequences.isEmpty)
        #expect(capture.frames >= 2)
        // Nothing but the last frame is on the screen: no stale line from an earlier, longer frame.
        let lines = screen.lines
        #expect(lines.first?.hasSuffix("elapsed") == true || lines.first?.contains("elapsed ·") == true)
        #expect(lines.contains { $0.hasPrefix("upload") && $0.contains("1/3 jobs") })
        #expect(lines.contains { $0.hasPrefix("on platform:") && $0.contains("1 queued") })
        #expect(lines.filter { $0.hasPrefix("upload") }.count == 1)
        #expect(lines.joined(separator: " ").contains("press Ctrl-C again to stop at once"))
        #expect(lines.contains { $0.hasPrefix("! platform unreachable") })
        #expect(screen.row == lines.count)
        #expect(!capture.value.contains("^C"))
    }

    @Test func theBoardIsRedrawnEverySecondWhileNothingHappens() async throws {
        let capture = Capture()
        let (stream, continuation) = AsyncStream.makeStream(of: ProgressInput.self)
        let renderer = Self.renderer(capture, width: 80, tick: .milliseconds(20))
        let board = ProgressBoard(plan: ProgressBoardTests.plan(["a"]), runID: ProgressBoardTests.run)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await renderer.consume(stream, board: board) }
            continuation.yield(.event(ProgressBoardTests.event(.stageStarted, "a", .upload, item: "0")))
            // One input, then only ticks: wait for six frames (at most 10 s, the suite's load can starve the pool).
            for _ in 0..<500 where capture.frames < 6 { try await Task.sleep(for: .milliseconds(20)) }
            continuation.finish()
            try await group.waitForAll()
        }
        #expect(capture.frames >= 6)
        var screen = ScreenModel(width: 80)
        screen.feed(capture.value)
        #expect(screen.lines.filter { $0.contains("elapsed") }.count == 1)
    }
}

import Foundation
import InterlinkCore
import InterlinkEngine
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Shows a run's events: a live board on a terminal, timestamped lines otherwise, JSON Lines for `--json`.
package struct ProgressRenderer: Sendable {
    /// How events are shown.
    package enum Mode: Hashable, Sendable {
        /// A live board on stderr, redrawn on events (at most 10 times a second) and every second.
        case live
        /// One plain timestamped line per stage event on stderr.
        case lines
        /// Every event as one JSON object per line on stdout (`schemas/events.schema.json`).
        case json
        /// Nothing but platform notices and the stop message.
        case quiet

        /// The mode for the flags and whether stderr is a terminal.
        package static func choose(json: Bool, quiet: Bool, isTerminal: Bool = isatty(STDERR_FILENO) != 0) -> Mode {
            if json { return .json }
            if quiet { return .quiet }
            return isTerminal ? .live : .lines
        }
    }

    /// The mode.
    package let mode: Mode
    /// Where text for stderr goes.
    package let errorOutput: @Sendable (String) -> Void
    /// Where text for stdout goes.
    package let standardOutput: @Sendable (String) -> Void
    /// The terminal's columns, asked before each live redraw.
    package let terminalWidth: @Sendable () -> Int
    /// How often the live board is redrawn when nothing happens (the elapsed time moves on).
    package let tickInterval: Duration
    /// Whether the live board turns off the terminal's `^C` echo while it is drawn.
    package let controlsTerminal: Bool

    /// The shortest time between two redraws caused by events.
    package static let redrawInterval = Duration.milliseconds(100)

    /// Creates a renderer writing to the process's stdout and stderr.
    package init(
        mode: Mode,
        errorOutput: @escaping @Sendable (String) -> Void = {
            FileHandle.standardError.write(Data(ProcessRedactor.redact($0).utf8))
        },
        standardOutput: @escaping @Sendable (String) -> Void = {
            FileHandle.standardOutput.write(Data(ProcessRedactor.redact($0).utf8))
        },
        terminalWidth: @escaping @Sendable () -> Int = { ProgressRenderer.currentTerminalWidth() },
        tickInterval: Duration = .seconds(1),
        controlsTerminal: Bool = true
    ) {
        self.mode = mode
        self.errorOutput = errorOutput
        self.standardOutput = standardOutput
        self.terminalWidth = terminalWidth
        self.tickInterval = tickInterval
        self.controlsTerminal = controlsTerminal
    }

    /// Consumes a run's inputs until the stream ends.
    ///
    /// - Parameters:
    ///   - inputs: Engine events, platform notices and the stop message.
    ///   - board: The live board to fold them into (its plan gives the denominators).
    package func consume(_ inputs: AsyncStream<ProgressInput>, board: ProgressBoard) async {
        if mode == .live {
            await consumeLive(inputs, board: board)
            return
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for await input in inputs {
            switch (input, mode) {
            case (.event(let event), .quiet) where event.event == .runWaiting:
                // Every mode but JSON says why a resumed run pauses before it does anything.
                if let line = Self.line(for: event, at: Date()) { errorOutput(line + "\n") }
            case (.event, .quiet), (_, .live):
                continue
            case (.event(let event), .json):
                if let data = try? encoder.encode(event) {
                    standardOutput(String(decoding: data, as: UTF8.self) + "\n")
                }
            case (.event(let event), .lines):
                if let line = Self.line(for: event, at: Date()) { errorOutput(line + "\n") }
            case (.notice(let text), .lines), (.stopping(let text), .lines):
                errorOutput("\(Self.timestamp(Date())) \(text)\n")
            case (.notice(let text), _), (.stopping(let text), _):
                errorOutput(text + "\n")
            }
        }
    }

    /// The live board: redrawn on events (at most every ``redrawInterval``) and every ``tickInterval``, always
    /// in place, with `^C` echo off; the last frame stays on screen.
    private func consumeLive(_ inputs: AsyncStream<ProgressInput>, board: ProgressBoard) async {
        let echo = controlsTerminal ? TerminalEcho.suppressControlEcho() : nil
        defer { echo?.restore() }
        let screen = LiveScreen(board: board, output: errorOutput, width: terminalWidth)
        let tick = tickInterval
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await input in inputs {
                    // Why a resumed run pauses before it does anything shows on the board like a notice.
                    if case .event(let event) = input, event.event == .runWaiting,
                        let text = event.message
                    {
                        screen.apply(.notice(text))
                    } else {
                        screen.apply(input)
                    }
                }
            }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: tick)
                    if Task.isCancelled { return }
                    screen.draw()
                }
            }
            _ = await group.next()
            group.cancelAll()
        }
        screen.draw()
    }

    /// The plain line for an event, or nil for events plain output skips (transfer progress).
    package static func line(for event: EngineEvent, at date: Date) -> String? {
        let subject = event.job.map { "\($0): " } ?? ""
        let stage = event.stage?.rawValue ?? ""
        let item = event.item.map { " [\($0)]" } ?? ""
        let text: String
        switch event.event {
        case .runStarted:
            text = "run \(event.run) \(event.resumed == true ? "resumed" : "started") with \(event.nodes ?? 0) nodes"
        case .runWaiting: text = event.message ?? "waiting for requests of the interrupted run to settle"
        case .stageStarted: text = "\(subject)\(stage)\(item) started (attempt \(event.attempt ?? 1))"
        case .stageSucceeded:
            var detail = ""
            if let job = event.jobID { detail = " (job \(job))" }
            if let file = event.fileID { detail = " (file \(file))" }
            text = "\(subject)\(stage)\(item) succeeded\(detail)"
        case .stageFailed: text = "\(subject)\(stage)\(item) failed: \(event.message ?? "unknown error")"
        case .stageRetrying:
            let delay = String(format: "%.1f", event.delaySeconds ?? 0)
            text = "\(subject)\(stage)\(item) retrying in \(delay) s: \(event.message ?? "")"
        case .stageReconciled:
            text = "\(subject)\(stage)\(item) reconciled: \(event.found == true ? "already done" : "not done yet")"
        case .jobStatusChanged:
            text =
                "\(subject)job \(event.jobID?.rawValue ?? "?") is \(event.status ?? "?")"
                + (event.statusReason.map { " (\($0))" } ?? "")
        case .nodeBlocked: text = "\(subject)blocked: '\(event.dependency?.rawValue ?? "?")' did not succeed"
        case .runFinished: text = "run \(event.run) \(event.result?.rawValue ?? "finished")"
        case .transferProgress: return nil
        }
        return "\(timestamp(date)) \(text)"
    }

    /// `2026-11-25T10:00:05Z`.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// The columns of the terminal on stderr, or 80 when it cannot be told.
    package static func currentTerminalWidth() -> Int {
        var size = winsize()
        guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }
}

/// The live board's screen: the board and how many lines the last frame took, behind one lock so the input
/// task and the ticker draw in turn.
private final class LiveScreen: Sendable {
    private struct State {
        var board: ProgressBoard
        var drawnLines = 0
        var lastDraw: ContinuousClock.Instant?
    }

    private let state: Mutex<State>
    private let output: @Sendable (String) -> Void
    private let width: @Sendable () -> Int

    init(board: ProgressBoard, output: @escaping @Sendable (String) -> Void, width: @escaping @Sendable () -> Int) {
        state = Mutex(State(board: board))
        self.output = output
        self.width = width
    }

    /// Folds an input in and redraws unless the last frame is too recent (stop and notices always redraw).
    func apply(_ input: ProgressInput) {
        let now = ContinuousClock.now
        let isUrgent = state.withLock { state in
            switch input {
            case .event(let event):
                state.board.apply(event, at: now)
                return event.event == .runFinished
            case .notice(let text):
                state.board.note(text)
                return true
            case .stopping(let text):
                state.board.stopping(text)
                return true
            }
        }
        let isRecent = state.withLock { $0.lastDraw.map { now - $0 < ProgressRenderer.redrawInterval } ?? false }
        if isUrgent || !isRecent { draw() }
    }

    /// Draws the board over the previous frame: back to its first line, erase to the end of the screen, write.
    func draw() {
        let columns = width()
        state.withLock { state in
            let now = ContinuousClock.now
            let lines = state.board.lines(at: now, width: columns)
            var text = "\r"
            if state.drawnLines > 0 { text += "\u{1B}[\(state.drawnLines)A" }
            text += "\u{1B}[J" + lines.map { $0 + "\n" }.joined()
            output(text)
            state.drawnLines = lines.count
            state.lastDraw = now
        }
    }
}

import Foundation
import InterlinkCore
import InterlinkEngine

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Shows a run's events: live bars on a terminal, timestamped lines otherwise, JSON Lines for `--json`.
package struct ProgressRenderer: Sendable {
    /// How events are shown.
    package enum Mode: Hashable, Sendable {
        /// Live bars on stderr, redrawn at most 10 times a second.
        case live
        /// One plain timestamped line per stage event on stderr.
        case lines
        /// Every event as one JSON object per line on stdout (`schemas/events.schema.json`).
        case json
        /// Nothing.
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

    /// The shortest time between two live redraws.
    package static let redrawInterval = Duration.milliseconds(100)

    /// Creates a renderer writing to the process's stdout and stderr.
    package init(
        mode: Mode,
        errorOutput: @escaping @Sendable (String) -> Void = {
            FileHandle.standardError.write(Data(ProcessRedactor.redact($0).utf8))
        },
        standardOutput: @escaping @Sendable (String) -> Void = {
            FileHandle.standardOutput.write(Data(ProcessRedactor.redact($0).utf8))
        }
    ) {
        self.mode = mode
        self.errorOutput = errorOutput
        self.standardOutput = standardOutput
    }

    /// Consumes events until the stream ends.
    package func consume(_ events: AsyncStream<EngineEvent>) async {
        var board = ProgressBoard()
        var drawnLines = 0
        var lastDraw: ContinuousClock.Instant?
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for await event in events {
            // Every mode but JSON says why a resumed run pauses before it does anything.
            if event.event == .runWaiting, mode != .json, let line = Self.line(for: event, at: Date()) {
                errorOutput(line + "\n")
                drawnLines = 0
                continue
            }
            switch mode {
            case .quiet:
                continue
            case .json:
                if let data = try? encoder.encode(event) {
                    standardOutput(String(decoding: data, as: UTF8.self) + "\n")
                }
            case .lines:
                if let line = Self.line(for: event, at: Date()) { errorOutput(line + "\n") }
            case .live:
                let now = ContinuousClock.now
                board.apply(event, at: now)
                if let last = lastDraw, now - last < Self.redrawInterval, event.event != .runFinished { continue }
                drawnLines = redraw(board.lines(at: now, width: Self.terminalWidth()), replacing: drawnLines)
                lastDraw = now
            }
        }
    }

    private func redraw(_ lines: [String], replacing previous: Int) -> Int {
        var text = previous > 0 ? "\u{1B}[\(previous)A\u{1B}[J" : ""
        text += lines.map { $0 + "\n" }.joined()
        errorOutput(text)
        return lines.count
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

    private static func terminalWidth() -> Int {
        var size = winsize()
        guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 20 else { return 80 }
        return Int(size.ws_col)
    }
}

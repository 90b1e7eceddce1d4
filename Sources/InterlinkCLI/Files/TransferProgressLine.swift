import Foundation
import InterlinkCore
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The progress of one file's transfer on stderr: a bar redrawn in place (bytes, %, rate, ETA) on a terminal, one
/// line when the transfer ends otherwise.
package final class TransferProgressLine: Sendable {
    private struct State {
        var bytes: Int64 = 0
        var total: Int64?
        var lastDraw: ContinuousClock.Instant?
        var drew = false
    }

    private let verb: String
    private let name: String
    private let isTerminal: Bool
    private let started = ContinuousClock.now
    private let state = Mutex(State())

    /// Starts the display of one transfer.
    ///
    /// - Parameters:
    ///   - verb: `upload` or `download`.
    ///   - name: The file's name.
    ///   - total: The bytes expected, when known.
    ///   - isTerminal: Whether stderr is a terminal (default: asks the system).
    package init(verb: String, name: String, total: Int64?, isTerminal: Bool = isatty(STDERR_FILENO) == 1) {
        self.verb = verb
        self.name = name
        self.isTerminal = isTerminal
        state.withLock { $0.total = total }
    }

    /// Records progress; on a terminal redraws the bar at most ten times a second.
    package func update(bytes: Int64, total: Int64?) {
        guard isTerminal else {
            state.withLock { state in
                state.bytes = bytes
                if let total { state.total = total }
            }
            return
        }
        let now = ContinuousClock.now
        let line: String? = state.withLock { state in
            state.bytes = bytes
            if let total { state.total = total }
            if let last = state.lastDraw, now - last < .milliseconds(100) { return nil }
            state.lastDraw = now
            state.drew = true
            return bar(bytes: bytes, total: state.total, now: now)
        }
        if let line { Console.error("\r\u{1B}[2K" + line) }
    }

    /// Ends the display: the final bar or the one line, with the outcome.
    ///
    /// - Parameter outcome: `nil` for success, else a short reason (`failed`, `skipped: …`).
    package func finish(_ outcome: String? = nil) {
        let now = ContinuousClock.now
        let (bytes, total) = state.withLock { ($0.bytes, $0.total) }
        let seconds = max(Self.seconds(now - started), 0.001)
        let done = outcome.map { " (\($0))" } ?? ""
        let summary =
            "\(verb) \(TerminalText.escaped(name)): \(Self.size(total ?? bytes)) in \(String(format: "%.1f", seconds)) s "
            + "(\(Self.size(Int64(Double(bytes) / seconds)))/s)\(done)"
        Console.error((isTerminal ? "\r\u{1B}[2K" : "") + summary + "\n")
    }

    private func bar(bytes: Int64, total: Int64?, now: ContinuousClock.Instant) -> String {
        Self.bar(verb: verb, name: name, bytes: bytes, total: total, seconds: Self.seconds(now - started))
    }

    /// One progress bar: the name, 24 cells, the percentage, bytes done of the total, the rate and the ETA.
    ///
    /// - Parameters:
    ///   - verb: `upload` or `download`.
    ///   - name: The file's name (escaped for the terminal).
    ///   - bytes: Bytes done.
    ///   - total: Bytes expected, when known (without it: bytes and rate only).
    ///   - seconds: Seconds since the transfer started.
    /// - Returns: The line, without a newline.
    package static func bar(verb: String, name: String, bytes: Int64, total: Int64?, seconds: Double) -> String {
        let seconds = max(seconds, 0.001)
        let rate = Double(bytes) / seconds
        guard let total, total > 0 else {
            return "\(verb) \(TerminalText.escaped(name)) \(Self.size(bytes)) \(Self.size(Int64(rate)))/s"
        }
        let fraction = min(1, Double(bytes) / Double(total))
        let width = 24
        let filled = Int(fraction * Double(width))
        let eta = rate > 0 ? Double(total - bytes) / rate : 0
        return "\(verb) \(TerminalText.escaped(name)) ["
            + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "] "
            + "\(Int(fraction * 100))% \(Self.size(bytes))/\(Self.size(total)) \(Self.size(Int64(rate)))/s "
            + "ETA \(Int(eta.rounded())) s"
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    /// A byte count for people: `512 B`, `1.5 KiB`, `12.0 MiB`.
    package static func size(_ value: Int64) -> String { SpecPlanning.bytes(value) }
}

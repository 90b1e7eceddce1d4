import Foundation
import InterlinkCore
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Shows file transfers on stderr: one live progress bar per file (bytes, percent, rate, ETA) on a terminal, one
/// line per finished file otherwise, nothing when quiet.
package struct TransferDisplay: Sendable {
    /// How transfers are shown.
    package enum Mode: Hashable, Sendable {
        /// A bar per file, redrawn in place at most 10 times a second.
        case bars
        /// One line per file when it ends.
        case lines
        /// Nothing.
        case quiet
    }

    /// The mode.
    package var mode: Mode
    /// Where text goes (stderr).
    package var output: @Sendable (String) -> Void

    /// Creates a display: bars when stderr is a terminal, lines otherwise.
    package init(
        quiet: Bool = false,
        isTerminal: Bool = isatty(STDERR_FILENO) != 0,
        output: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }
    ) {
        mode = quiet ? .quiet : isTerminal ? .bars : .lines
        self.output = output
    }

    /// Reports a file skipped because it is already present and verified.
    package func present(_ path: String) {
        guard mode != .quiet else { return }
        output("\(TerminalText.escaped(path)): already present\n")
    }

    /// Starts the bar of one file.
    package func start(_ path: String, totalBytes: Int64) -> Bar {
        Bar(display: self, path: path, totalBytes: totalBytes)
    }

    /// The progress of one file.
    package final class Bar: Sendable {
        private struct State {
            var bytes: Int64 = 0
            var lastDraw: ContinuousClock.Instant?
        }

        private let display: TransferDisplay
        private let path: String
        private let totalBytes: Int64
        private let started = ContinuousClock.now
        private let state = Mutex(State())

        init(display: TransferDisplay, path: String, totalBytes: Int64) {
            self.display = display
            self.path = TerminalText.escaped(path)
            self.totalBytes = totalBytes
            if display.mode == .bars { display.output(line(bytes: 0, now: started)) }
        }

        /// Records bytes written so far, redrawing the bar at most 10 times a second.
        package func update(_ bytes: Int64) {
            guard display.mode == .bars else { return }
            let now = ContinuousClock.now
            let text: String? = state.withLock { state in
                state.bytes = bytes
                if let last = state.lastDraw, now - last < .milliseconds(100) { return nil }
                state.lastDraw = now
                return line(bytes: bytes, now: now)
            }
            if let text { display.output(text) }
        }

        /// Ends the bar (on a terminal) or prints the file's line.
        package func finish(_ bytes: Int64) {
            let now = ContinuousClock.now
            switch display.mode {
            case .bars: display.output(line(bytes: bytes, now: now) + "\n")
            case .lines:
                let seconds = Self.seconds(now - started)
                display.output(
                    "\(path): \(RecordOutput.bytes(bytes)) in \(String(format: "%.1f", seconds)) s "
                        + "(\(RecordOutput.bytes(Int64(Double(bytes) / max(seconds, 0.001))))/s)\n"
                )
            case .quiet: break
            }
        }

        private func line(bytes: Int64, now: ContinuousClock.Instant) -> String {
            let seconds = Self.seconds(now - started)
            let fraction = totalBytes > 0 ? min(1, Double(bytes) / Double(totalBytes)) : 1
            let width = 24
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            let rate = seconds > 0 ? Double(bytes) / seconds : 0
            let eta =
                rate > 0 && bytes < totalBytes ? "\(Int((Double(totalBytes - bytes) / rate).rounded(.up))) s" : "-"
            return "\r\u{1B}[K\(path) [\(bar)] \(Int(fraction * 100))% \(RecordOutput.bytes(bytes))/"
                + "\(RecordOutput.bytes(totalBytes)) \(RecordOutput.bytes(Int64(rate)))/s ETA \(eta)"
        }

        private static func seconds(_ duration: Duration) -> Double {
            Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        }
    }
}

import ArgumentParser
import Foundation
import InterlinkCore
import InterlinkSystem
import RescalePlatform

/// `rescale-int jobs tail --id ID`: the last lines of a job's `process_output.log`.
package struct JobsTailCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "tail",
        abstract: "Show the end of a job's process_output.log; -f follows it until the job ends.",
        discussion: """
            While the job runs the lines come from the run's live tail; once it has ended, from the stored \
            process_output.log.

            \(ExitStatus.helpText([.success, .usage, .unavailable, .configuration]))
            """
    )

    /// The log every run writes.
    static let logName = RescalePlatform.jobLogName

    @OptionGroup package var connection: ConnectionOptions

    /// The job.
    @Option(help: "The job id.")
    package var id: String

    /// Follows the log.
    @Flag(name: [.short, .long], help: "Keep printing new lines until the job ends.")
    package var follow = false

    /// Lines shown first.
    @Option(name: [.customShort("n"), .customLong("lines")], help: "How many lines to show first.")
    package var lines = 20

    /// The time between checks while following.
    @Option(help: "The time between checks with -f: seconds, or 5s, 1m.")
    package var interval = "2s"

    /// Creates the command.
    package init() {}

    package func validate() throws {
        guard lines > 0 else { throw ValidationError("--lines must be at least 1.") }
        guard try DurationArgument.seconds(interval) > 0 else { throw ValidationError("--interval must be positive.") }
    }

    package func run() async throws {
        let pause = Duration.milliseconds(Int64(try DurationArgument.seconds(interval) * 1000))
        let (job, count, following) = (id, lines, follow)
        try await RescaleConnection.with(connection) { connection in
            var printed: [String] = []
            var first = true
            while true {
                switch try await connection.platform.readLog(of: job, lines: first ? count : 1000) {
                case .live(let current):
                    Self.emit(Self.newLines(after: printed, in: current), &printed)
                    first = false
                case .ended(let stored):
                    guard let all = stored else {
                        throw CommandFailure([.error("job '\(job)' has no \(Self.logName)")], status: .unavailable)
                    }
                    Self.emit(first ? Array(all.suffix(count)) : Self.newLines(after: printed, in: all), &printed)
                    return
                case .waiting where !following:
                    RecordOutput.note("job '\(job)' is not running yet; -f waits for it")
                    return
                case .waiting:
                    break
                }
                guard following else { return }
                try await Task.sleep(for: pause)
            }
        }
    }

    /// The lines of `current` after its overlap with the end of what was printed (the platform's rule, shared
    /// with the web UI).
    package static func newLines(after printed: [String], in current: [String]) -> [String] {
        RescalePlatform.newLogLines(after: printed, in: current)
    }

    private static func emit(_ lines: [String], _ printed: inout [String]) {
        guard !lines.isEmpty else { return }
        RecordOutput.write(lines.map { TerminalText.escaped($0) + "\n" }.joined())
        printed = Array((printed + lines).suffix(1000))
    }
}

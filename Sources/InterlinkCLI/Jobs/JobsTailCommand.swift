import ArgumentParser
import Foundation
import InterlinkCore
import InterlinkSystem

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
    static let logName = "process_output.log"

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
                let runs = try await connection.api.jobRuns(job) ?? []
                let active = runs.last { run in
                    run["dateStarted"]?.string?.isEmpty == false && (run["dateCompleted"]?.string ?? "").isEmpty
                }
                if let run = active.map({ RecordOutput.text($0["id"]) }),
                    let current = try await connection.api.tail(
                        job: job,
                        run: run,
                        file: Self.logName,
                        lines: first ? count : 1000
                    )
                {
                    Self.emit(Self.newLines(after: printed, in: current), &printed)
                    first = false
                } else if let newest = try await connection.api.jobStatuses(job).first,
                    JobSummary.isTerminal(newest.status, reason: newest.statusReason)
                {
                    let all = try await Self.storedLog(of: job, connection)
                    Self.emit(first ? Array(all.suffix(count)) : Self.newLines(after: printed, in: all), &printed)
                    return
                } else if !following {
                    RecordOutput.note("job '\(job)' is not running yet; -f waits for it")
                    return
                }
                guard following else { return }
                try await Task.sleep(for: pause)
            }
        }
    }

    /// The lines of `current` after its overlap with the end of what was printed.
    ///
    /// `current` is the end of a file that may have grown since `printed` was read: the longest suffix of
    /// `printed` that is a prefix of `current` is the overlap.
    package static func newLines(after printed: [String], in current: [String]) -> [String] {
        guard !printed.isEmpty else { return current }
        for overlap in stride(from: min(printed.count, current.count), to: 0, by: -1)
        where Array(printed.suffix(overlap)) == Array(current.prefix(overlap)) {
            return Array(current.dropFirst(overlap))
        }
        return current
    }

    private static func emit(_ lines: [String], _ printed: inout [String]) {
        guard !lines.isEmpty else { return }
        RecordOutput.write(lines.map { TerminalText.escaped($0) + "\n" }.joined())
        printed = Array((printed + lines).suffix(1000))
    }

    /// The stored `process_output.log` of an ended job, downloaded (verified) into a temporary directory.
    private static func storedLog(of job: String, _ connection: RescaleConnection) async throws -> [String] {
        let outputs = try await connection.platform.listOutputs(of: JobID(job))
        guard let log = outputs.first(where: { $0.name == logName }) else {
            throw CommandFailure([.error("job '\(job)' has no \(logName)")], status: .unavailable)
        }
        let directory = NSTemporaryDirectory() + "rescale-int-tail-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = try await connection.platform.download(log, to: directory + "/" + logName) { _ in }
        let path = file.path
        let data = try await Blocking.run { try Data(contentsOf: URL(fileURLWithPath: path)) }
        var lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init)
        if lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }
}

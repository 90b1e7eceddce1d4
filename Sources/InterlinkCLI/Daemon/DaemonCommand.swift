import ArgumentParser
import Foundation
import InterlinkCore
import InterlinkEngine
import InterlinkSystem
import Logging
import RescaleAPI

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `rescale-int daemon --outdir DIR`: watches the user's jobs and downloads each completed job's outputs once.
package struct DaemonCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "daemon",
        abstract: "Download every completed job's outputs into DIR/<job name>-<id>/, once each.",
        discussion: """
            Runs in the foreground and checks the jobs every --interval; SIGTERM or Ctrl-C stops it cleanly. \
            Which jobs are done is journaled in DIR/\(DaemonJournal.fileName) (written and synced before and after \
            each job), so a restart, even after kill -9, resumes a job it had started and never downloads a job \
            twice. One daemon per directory: a second one is refused.

            Examples:
              rescale-int daemon --outdir ~/results
              rescale-int daemon --outdir results --name-pattern 'wing-*' --tag nightly --interval 1m
              rescale-int daemon --outdir results --once

            \(ExitStatus.helpText([.success, .usage, .unavailable, .ioError, .inUse, .configuration]))
            """
    )

    @OptionGroup package var connection: ConnectionOptions

    /// Where outputs go.
    @Option(help: "The directory to download into; each job gets '<job name>-<id>/' in it.")
    package var outdir: String

    /// A glob on job names.
    @Option(help: "Only jobs whose name matches this glob ('*' and '?').")
    package var namePattern: String?

    /// A job tag.
    @Option(help: "Only jobs with this tag.")
    package var tag: String?

    /// The time between checks.
    @Option(help: "The time between checks: seconds, or 30s, 5m, 1h.")
    package var interval = "5m"

    /// One check only.
    @Flag(help: "Check once, download what is due, and exit.")
    package var once = false

    /// Creates the command.
    package init() {}

    package func validate() throws {
        guard try DurationArgument.seconds(interval) > 0 else { throw ValidationError("--interval must be positive.") }
    }

    package func run() async throws {
        let seconds = try DurationArgument.seconds(interval)
        let directory = PathName.resolve(outdir, against: FileManager.default.currentDirectoryPath)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw CommandFailure(
                [.error("cannot create '\(directory)': \(error.localizedDescription)")],
                status: .ioError
            )
        }
        let lock: JournalLock
        do {
            lock = try JournalLock(path: PathName.join(directory, ".rescale-int-daemon.lock"))
        } catch {
            throw CommandFailure(error)
        }
        defer { lock.release() }
        let watcher = DaemonWatcher(
            directory: directory,
            namePattern: namePattern,
            tag: tag,
            journal: DaemonJournal(directory: directory),
            display: TransferDisplay()
        )
        let isOnce = once
        let failures = try await RescaleConnection.with(connection) { connection in
            let (signals, continuation) = SignalListener.makeStream()
            defer { continuation.finish() }
            return try await withThrowingTaskGroup(of: Int?.self) { group in
                group.addTask {
                    for await number in signals {
                        RecordOutput.note("daemon: stopping on signal \(number)")
                        return nil
                    }
                    return nil
                }
                group.addTask {
                    try await watcher.watch(connection, every: .milliseconds(Int64(seconds * 1000)), once: isOnce)
                }
                var outcome: Int?
                if let first = try await group.next() { outcome = first }
                group.cancelAll()
                while let result = await group.nextResult() {
                    if case .failure(let error) = result, !(error is CancellationError) { throw error }
                }
                return outcome ?? 0
            }
        }
        if failures > 0 {
            throw CommandFailure(
                [.error("\(failures) job(s) could not be downloaded", help: "run the daemon again to resume them")],
                status: .unavailable
            )
        }
    }
}

import ArgumentParser
import Foundation
import InterlinkCore
import InterlinkSystem
import RescaleAPI

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `rescale-int jobs delete --id ID…`: deletes ended or never-submitted jobs, after asking on a terminal.
package struct JobsDeleteCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete jobs that have ended or were never submitted.",
        discussion: """
            A running job is refused with its status: stop it first ('rescale-int jobs stop --id ID'). Without \
            --confirm the command asks on a terminal, and refuses when standard input is not one.

            \(ExitStatus.helpText([.success, .usage, .unavailable, .configuration]))
            """
    )

    @OptionGroup package var connection: ConnectionOptions

    /// The jobs.
    @Option(parsing: .upToNextOption, help: "The ids of the jobs to delete.")
    package var id: [String]

    /// Deletes without asking.
    @Flag(help: "Delete without asking.")
    package var confirm = false

    /// Creates the command.
    package init() {}

    package func validate() throws {
        guard !id.isEmpty else { throw ValidationError("give at least one job with --id.") }
    }

    package func run() async throws {
        let ids = id
        let confirmed = confirm
        try await RescaleConnection.with(connection) { connection in
            var refusals: [Diagnostic] = []
            for job in ids {
                if let status = try await connection.platform.statusPreventingDeletion(of: job) {
                    refusals.append(
                        .error(
                            "job '\(job)' is \(status) and cannot be deleted while it runs",
                            help: "stop it first: rescale-int jobs stop --id \(job)"
                        )
                    )
                }
            }
            guard refusals.isEmpty else { throw CommandFailure(refusals, status: .usage) }
            if !confirmed {
                guard isatty(STDIN_FILENO) != 0 else {
                    throw CommandFailure.usage(
                        "not deleting without confirmation: standard input is not a terminal",
                        help: "add --confirm to delete \(ids.count == 1 ? "the job" : "these \(ids.count) jobs")"
                    )
                }
                FileHandle.standardError.write(Data("Delete \(ids.joined(separator: ", "))? [y/N] ".utf8))
                let answer = await Blocking.onOwnThread { readLine() }?.trimmingCharacters(in: .whitespaces)
                    .lowercased()
                guard answer == "y" || answer == "yes" else {
                    RecordOutput.note("nothing deleted")
                    return
                }
            }
            for job in ids {
                try await connection.api.deleteJob(job)
                RecordOutput.write("deleted job '\(job)'\n")
            }
        }
    }
}

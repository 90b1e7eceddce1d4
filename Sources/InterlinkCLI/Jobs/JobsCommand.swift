import ArgumentParser
import InterlinkCore

/// `rescale-int jobs`: list, inspect, submit, stop, follow, download and delete Rescale jobs.
package struct JobsCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "List, submit, follow, download and delete your Rescale jobs.",
        discussion: """
            Every command uses the Rescale connection of 'config' (RESCALE_API_URL, RESCALE_API_KEY, \
            RESCALE_PROFILE or --profile). Read commands take --json: the platform's records as one JSON document.

            Examples:
              rescale-int jobs list -n 20 -s Executing
              rescale-int jobs submit -f job.json
              rescale-int jobs tail --id tqmdnn -f
              rescale-int jobs download --id tqmdnn -d results
              rescale-int jobs watch --id tqmdnn --download -d results
            """,
        subcommands: [
            JobsListCommand.self, JobsGetCommand.self, JobsSubmitCommand.self, JobsStopCommand.self,
            JobsTailCommand.self, JobsListFilesCommand.self, JobsDownloadCommand.self, JobsDeleteCommand.self,
            JobsWatchCommand.self,
        ]
    )

    /// Creates the command group.
    package init() {}
}

/// What the job commands read from a platform job record.
package struct JobSummary: Hashable, Sendable {
    /// The job id.
    package var id: String
    /// The job name.
    package var name: String
    /// The current status (`Executing`, `Completed` …), or nil when the job was never submitted.
    package var status: String?
    /// The status reason.
    package var reason: String?
    /// When the job was created.
    package var created: String?

    /// Reads a record as `GET /api/v3/jobs/` lists it (with `jobStatus`).
    package init(record: JSONValue) {
        id = record["id"]?.string ?? ""
        name = record["name"]?.string ?? ""
        let content = record["jobStatus"]?["content"]?.string
        status = content?.isEmpty == false ? content : nil
        reason = record["jobStatus"]?["statusReason"]?.string
        created = record["dateInserted"]?.string
    }

    /// Whether the job has reached a terminal status (`Completed`, `Failed`, `Stopped` …).
    package var hasEnded: Bool { status.map { Self.isTerminal($0, reason: reason) } ?? false }

    /// Whether a platform status text is terminal.
    package static func isTerminal(_ status: String, reason: String?) -> Bool {
        JobStatus(platformStatus: status, reason: reason).isTerminal
    }
}

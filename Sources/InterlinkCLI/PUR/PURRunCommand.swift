import ArgumentParser
import Foundation
import InterlinkCore
import InterlinkEngine
import InterlinkSystem

/// `rescale-int pur run` and `pur resume`: Interlink's PUR pipeline over a jobs CSV, with its flags, run by the
/// journaled engine (every stage resumable, outputs downloaded, non-zero exit on failure).
package struct PURRunCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the jobs of an Interlink jobs CSV (continues its unfinished run, if any).",
        discussion: """
            The CSV may be given as the argument or with --jobs-csv/-j, as Interlink takes it. Progress is kept in \
            the run's journal (.interlink/runs/ beside the CSV). --state reads an Interlink state CSV first (the \
            jobs it records as created are taken over by their JobID, never created again) and writes the run's \
            state CSV there when the run ends.

            \(ExitStatus.helpText(ExitStatus.allCases))
            """
    )

    /// The flags `run` and `resume` share.
    @OptionGroup package var flags: PURRunFlags

    /// Creates the command (ArgumentParser fills it in).
    package init() {}

    package func run() async throws { try await flags.execute(requireExisting: false) }
}

/// `rescale-int pur resume`: like `pur run`, but there must be an earlier run of the CSV to continue.
package struct PURResumeCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Continue the run of an Interlink jobs CSV from its journal.",
        discussion: ExitStatus.helpText(ExitStatus.allCases)
    )

    /// The flags `run` and `resume` share.
    @OptionGroup package var flags: PURRunFlags

    /// Creates the command (ArgumentParser fills it in).
    package init() {}

    package func run() async throws { try await flags.execute(requireExisting: true) }
}

/// The Interlink `pur run`/`pur resume` flags that mean something for a journaled run.
package struct PURRunFlags: ParsableArguments {
    /// The jobs CSV as an argument.
    @Argument(help: "The jobs CSV.")
    package var jobsCSV: String?

    /// The jobs CSV, Interlink style.
    @Option(name: [.customShort("j"), .customLong("jobs-csv")], help: "The jobs CSV (Interlink's spelling).")
    package var jobsCSVOption: String?

    /// Where to export Interlink's state CSV when the run ends.
    @Option(
        name: .shortAndLong,
        help: "Interlink's state CSV: its jobs are taken over first; rewritten when the run ends."
    )
    package var state: String?

    /// Keep only files whose name matches (repeatable).
    @Option(name: .customLong("include-pattern"), help: "Archive only files whose name matches (repeatable).")
    package var include: [String] = []

    /// Drop files whose name matches (repeatable).
    @Option(name: .customLong("exclude-pattern"), help: "Leave out files whose name matches (repeatable).")
    package var exclude: [String] = []

    /// Store files under their base names.
    @Flag(name: .customLong("flatten-tar"), help: "Store every file under its base name, without directories.")
    package var flatten = false

    /// Archive compression.
    @Option(name: .customLong("tar-compression"), help: "none, gzip or zstd (default: none, as Interlink).")
    package var compression: String?

    /// Interlink's worker flags.
    @Option(name: .customLong("tar-workers"), help: "Archives built at once.")
    package var tarWorkers: Int?
    /// Interlink's worker flags.
    @Option(name: .customLong("upload-workers"), help: "Uploads and downloads at once.")
    package var uploadWorkers: Int?
    /// Interlink's worker flags.
    @Option(name: .customLong("job-workers"), help: "Job API calls (create, submit, poll) at once.")
    package var jobWorkers: Int?

    /// Stream events as JSON.
    @Flag(help: "Stream every event as one JSON object per line on stdout.")
    package var json = false
    /// No progress output.
    @Flag(help: "Show no progress; print only the summary and errors.")
    package var quiet = false
    /// The platform, over the CSV's default (local).
    @Option(help: "local or rescale (default: local). A run stays on its platform.")
    package var platform: PlatformKind?
    /// Seconds between status polls.
    @Option(help: "Time between job status polls: 30, 30s, 2m (default: 30 s).", transform: DurationArgument.seconds)
    package var pollInterval: Double?
    /// The Rescale profile and host options.
    @OptionGroup package var connection: ConnectionOptions

    /// Creates the flags (ArgumentParser fills them in).
    package init() {}

    package func validate() throws {
        guard (jobsCSV == nil) != (jobsCSVOption == nil) else {
            throw ValidationError("Give the jobs CSV once: as the argument or with --jobs-csv.")
        }
        if !include.isEmpty, !exclude.isEmpty {
            throw ValidationError("--include-pattern and --exclude-pattern cannot be combined.")
        }
        if let compression, Compression(rawValue: compression) == nil {
            throw ValidationError("--tar-compression must be none, gzip or zstd, not '\(compression)'.")
        }
        for (name, value) in [
            ("--tar-workers", tarWorkers), ("--upload-workers", uploadWorkers), ("--job-workers", jobWorkers),
        ] {
            if let value, value < 1 { throw ValidationError("\(name) must be at least 1, not \(value).") }
        }
        if let pollInterval, !(pollInterval > 0 && pollInterval <= 86_400) {
            throw ValidationError("--poll-interval must be between 0 and 86400 seconds, not \(pollInterval).")
        }
    }
}

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
    @Option(
        name: .customLong("tar-compression"),
        help: "none, gzip (or gz) or zstd (default: none, as Interlink)."
    )
    package var compression: String?

    /// Interlink's `--multipart`: accepted; see the help text.
    @Flag(
        help: """
            Accepted for Interlink's command lines; changes nothing: uploads are always multipart here, whatever \
            their size, and archive entries keep relative names (Interlink's absolute names are refused).
            """
    )
    package var multipart = false

    /// Rescale file ids attached to every job.
    @Option(
        name: .customLong("extra-input-files"),
        help: "Comma-separated Rescale file ids (or id:<id>) attached to every job; each must exist on the platform."
    )
    package var extraInputFiles: String?

    /// Whether the platform unpacks the `--extra-input-files`.
    @Flag(name: .customLong("decompress-extras"), help: "Have the platform unpack the --extra-input-files.")
    package var decompressExtras = false

    /// Say what would happen to each job, and do nothing.
    @Flag(
        name: .customLong("dry-run"),
        help: "Print what would happen to each job (from the journal and --state) and change nothing."
    )
    package var dryRun = false

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
        if let compression, Self.compression(named: compression) == nil {
            throw ValidationError("--tar-compression must be none, gzip (or gz) or zstd, not '\(compression)'.")
        }
        if decompressExtras, extraFileIDs.isEmpty {
            throw ValidationError("--decompress-extras needs --extra-input-files.")
        }
        if extraInputFiles != nil, extraFileIDs.isEmpty {
            throw ValidationError("--extra-input-files names no file id.")
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

    /// The compression a `--tar-compression` value names: `gz` is Interlink's spelling of gzip.
    ///
    /// - Parameter name: The flag's value.
    /// - Returns: The compression, or nil for an unknown name.
    package static func compression(named name: String) -> Compression? {
        name == "gz" ? .gzip : Compression(rawValue: name)
    }

    /// The `--extra-input-files` ids: split on commas, trimmed, `id:` prefixes removed, empties and repeats dropped.
    package var extraFileIDs: [String] {
        var ids: [String] = []
        for piece in (extraInputFiles ?? "").split(separator: ",", omittingEmptySubsequences: false) {
            var id = piece.trimmingCharacters(in: .whitespaces)
            if id.hasPrefix("id:") { id = String(id.dropFirst(3)).trimmingCharacters(in: .whitespaces) }
            if !id.isEmpty, !ids.contains(id) { ids.append(id) }
        }
        return ids
    }
}

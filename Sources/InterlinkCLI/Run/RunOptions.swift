import ArgumentParser
import InterlinkCore
import InterlinkEngine

extension PlatformKind: ExpressibleByArgument {}

/// The flags `run` and `resume` share: worker counts and how progress is shown.
package struct RunOptions: ParsableArguments {
    /// Concurrent archive (tar) stages; overrides the workflow's setting.
    @Option(help: "Archives built at once (default: the workflow's setting, else 4).")
    package var archiveWorkers: Int?

    /// Concurrent transfers; overrides the workflow's setting.
    @Option(help: "Uploads and downloads at once (default: the workflow's setting, else 4).")
    package var transferWorkers: Int?

    /// Concurrent API calls; overrides the workflow's setting.
    @Option(help: "Platform API calls at once (default: the workflow's setting, else 4).")
    package var apiWorkers: Int?

    /// The platform to run on, over the workflow's `platform:`.
    @Option(
        help: "local, rescale or slurm (default: the workflow's 'platform:', else local). A run stays on its platform."
    )
    package var platform: PlatformKind?

    /// Seconds between status polls, over the workflow's setting.
    @Option(
        help: "Time between job status polls: 30, 30s, 2m (default: the workflow's poll-interval, else 30 s).",
        transform: DurationArgument.seconds
    )
    package var pollInterval: Double?

    /// The Rescale profile and host options.
    @OptionGroup package var connection: ConnectionOptions

    /// The job limit.
    @OptionGroup package var expansion: ExpansionOptions

    /// Cores the embedded local platform shares among running jobs.
    @Option(help: "Cores the local platform lets jobs use at once (default: this machine's processors).")
    package var localCores: Int?

    /// Attempts per stage within one run, over the workflow's `attempts:`.
    @Option(help: "Attempts each stage gets within one run (default: the workflow's 'attempts:', else 3).")
    package var maxAttempts: Int?

    /// Whether jobs `rescale-int stop` stopped are redone.
    @Flag(help: "Redo jobs that 'rescale-int stop' stopped, each with a new job (otherwise they stay stopped).")
    package var restartStopped = false

    /// Keep each local job's work directory after its outputs are stored.
    @Flag(help: "Keep each local job's work directory (.interlink/local/work/<job>) after its outputs are stored.")
    package var keepWork = false

    /// Stream events as JSON Lines on stdout.
    @Flag(help: "Stream every event as one JSON object per line on stdout (schemas/events.schema.json).")
    package var json = false

    /// Show no progress, only the summary and errors.
    @Flag(help: "Show no progress; print only the summary and errors.")
    package var quiet = false

    /// The crash tests' stop point: the process kills itself right after its Nth journal record is durable.
    @Option(help: .hidden)
    package var crashAfterRecord: Int?

    /// Creates the options (ArgumentParser fills them in).
    package init() {}

    package func validate() throws {
        for (name, value) in [
            ("--archive-workers", archiveWorkers), ("--transfer-workers", transferWorkers),
            ("--api-workers", apiWorkers), ("--local-cores", localCores), ("--crash-after-record", crashAfterRecord),
        ] {
            if let value, value < 1 { throw ValidationError("\(name) must be at least 1, not \(value).") }
        }
        if let maxAttempts, !(1...100).contains(maxAttempts) {
            throw ValidationError("--max-attempts must be between 1 and 100, not \(maxAttempts).")
        }
        if let pollInterval, !(pollInterval > 0 && pollInterval <= 86_400) {
            throw ValidationError("--poll-interval must be between 0 and 86400 seconds, not \(pollInterval).")
        }
    }

    /// The plan's settings with the flags applied (flag over workflow over default).
    package func apply(to plan: Plan) -> Plan {
        var plan = plan
        if let archiveWorkers { plan.settings.workers.archive = archiveWorkers }
        if let transferWorkers { plan.settings.workers.transfer = transferWorkers }
        if let apiWorkers { plan.settings.workers.api = apiWorkers }
        if let platform { plan.platform = platform }
        if let pollInterval { plan.settings.pollIntervalSeconds = pollInterval }
        if let maxAttempts {
            plan.settings.defaultAttempts = maxAttempts
            plan.settings.attempts = [:]
        }
        // The embedded platform answers status at once: Rescale's polling floor would only slow it down.
        if plan.platform == .local { plan.settings.pollIntervalSeconds = min(plan.settings.pollIntervalSeconds, 0.05) }
        // On Slurm one squeue answers for every job polled within 200 ms: a second is cheap for the controller.
        if plan.platform == .slurm { plan.settings.pollIntervalSeconds = min(plan.settings.pollIntervalSeconds, 1) }
        return plan
    }

    /// The crash point `--crash-after-record` asks for, if any.
    package var crashPoint: CrashPoint? {
        crashAfterRecord.map { CrashPoint(afterRecord: $0, action: .killProcess) }
    }

    /// The progress mode the flags ask for.
    package var progressMode: ProgressRenderer.Mode { .choose(json: json, quiet: quiet) }
}

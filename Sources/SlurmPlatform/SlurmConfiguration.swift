import InterlinkCore

/// Everything the Slurm platform needs to know, resolved once by the CLI from the workflow's `slurm:` settings and
/// the environment.
package struct SlurmConfiguration: Sendable {
    /// The workflow's settings (partition, account, QOS, extra `sbatch` arguments, pace).
    package var settings: SlurmSettings
    /// The absolute directory where inputs are staged and jobs run; the compute nodes must see it.
    package var workRoot: String
    /// The environment of every client command: this process's, so `PATH` finds them and `SLURM_CONF` names the
    /// cluster.
    package var environment: [String: String]
    /// How long one `sbatch` may take; the engine waits this (plus ``settle``) out before it reconciles a
    /// submission a crash cut short.
    package var submitTimeout: Duration
    /// How long the controller may still take to act on an `sbatch` it received.
    package var settle: Duration
    /// The oldest a shared status snapshot (one `squeue` for every job) may be when a job's status is asked.
    package var snapshotAge: Duration
    /// How many submissions may be queued ahead of one: the engine journals a submission's intent before it waits
    /// for an API worker and for its turn at the pace, so up to every job of the plan (and the workers) can be.
    package var concurrentSubmissions: Int
    /// How long a job array waits for one more job of its sweep before it is sent (`slurm.array`).
    package var arrayQuiet: Duration
    /// The longest a job array waits for the jobs of its sweep before it is sent.
    package var arrayWindow: Duration
    /// The most tasks in one job array; nil reads the cluster's `MaxArraySize`.
    package var maximumArraySize: Int?

    /// Creates a configuration.
    ///
    /// - Parameters:
    ///   - settings: The workflow's `slurm:` settings.
    ///   - workRoot: The absolute work root.
    ///   - environment: The client commands' environment.
    ///   - submitTimeout: The deadline of one `sbatch`.
    ///   - settle: The margin after it.
    ///   - snapshotAge: How long one `squeue` answer serves every job's status.
    ///   - concurrentSubmissions: The submissions that may be queued ahead of one (the plan's jobs and workers).
    ///   - arrayQuiet: How long an array waits for one more job.
    ///   - arrayWindow: The longest an array waits for its jobs.
    ///   - maximumArraySize: The most tasks per array (nil: the cluster's `MaxArraySize`).
    package init(
        settings: SlurmSettings,
        workRoot: String,
        environment: [String: String],
        submitTimeout: Duration = .seconds(10),
        settle: Duration = .seconds(1),
        snapshotAge: Duration = .milliseconds(200),
        concurrentSubmissions: Int = 4,
        arrayQuiet: Duration = .milliseconds(250),
        arrayWindow: Duration = .seconds(2),
        maximumArraySize: Int? = nil
    ) {
        self.settings = settings
        self.workRoot = workRoot
        self.environment = environment
        self.submitTimeout = submitTimeout
        self.settle = settle
        self.snapshotAge = snapshotAge
        self.concurrentSubmissions = max(concurrentSubmissions, 1)
        self.arrayQuiet = arrayQuiet
        self.arrayWindow = arrayWindow
        self.maximumArraySize = maximumArraySize
    }

    /// The longest a submission may take from its intent: its turn at the pace, the array's collection window when
    /// sweeps go as arrays, then `sbatch` itself.
    package var submissionAllowance: Duration {
        pacingAllowance + (settings.sendsArrays ? arrayWindow : .zero) + submitTimeout
    }

    /// The longest a submission may wait for its turn at the pace: every submission queued ahead goes first.
    package var pacingAllowance: Duration {
        let rate = settings.submitRate ?? SlurmSettings.defaultSubmitRate
        return .milliseconds(Int64((Double(concurrentSubmissions) / rate * 1000).rounded(.up)))
    }

    /// The cluster as the journal names it: `slurm` and the configuration file the clients read.
    package var target: String { "slurm " + (environment["SLURM_CONF"] ?? "/etc/slurm/slurm.conf") }
}

/// Where a workflow's jobs run.
package enum PlatformKind: String, Hashable, Sendable, Codable, CaseIterable {
    /// The embedded local platform: the same stages, run on this machine (the default).
    case local
    /// The Rescale REST API with its S3 or Azure storage.
    case rescale
    /// A Slurm cluster, reached through its client commands (`sbatch`, `squeue`, …) and `SLURM_CONF`.
    case slurm
}

/// The kinds of stage a job goes through, in order.
package enum StageKind: String, Hashable, Sendable, Codable, CaseIterable, Comparable {
    case tar
    case encrypt
    case upload
    case register
    case create
    case submit
    case poll
    case download

    /// Stage names as users write them.
    package static var names: [String] { allCases.map(\.rawValue) }

    package static func < (lhs: StageKind, rhs: StageKind) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }
}

/// How many of each resource the runner may use at once.
package struct WorkerLimits: Hashable, Sendable, Codable {
    /// Concurrent archive (tar) stages.
    package var archive: Int
    /// Concurrent transfers (uploads and downloads).
    package var transfer: Int
    /// Concurrent API calls (create, submit, poll).
    package var api: Int

    /// Interlink's defaults: 4 of each.
    package static let `default` = WorkerLimits(archive: 4, transfer: 4, api: 4)

    /// Creates limits.
    package init(archive: Int, transfer: Int, api: Int) {
        self.archive = archive
        self.transfer = transfer
        self.api = api
    }
}

/// Run-wide settings of a workflow.
package struct WorkflowSettings: Hashable, Sendable, Codable {
    /// The most workers of one kind a workflow may ask for.
    package static let maximumWorkers = 256
    /// The longest poll interval, in seconds (a day, as the `--poll-interval` flag allows).
    package static let maximumPollIntervalSeconds = 86_400.0
    /// The most attempts of one stage.
    package static let maximumAttempts = 100

    /// Concurrency per resource.
    package var workers: WorkerLimits
    /// How often to poll a running job's status, in seconds (never below 5 on Rescale).
    package var pollIntervalSeconds: Double
    /// Attempts per stage kind (1 = no retry).
    ///
    /// Stages not listed use ``defaultAttempts``.
    package var attempts: [StageKind: Int]
    /// Attempts for stages not listed in ``attempts``.
    package var defaultAttempts: Int

    /// The defaults: 4 workers each, 30 s polling, 3 attempts per stage.
    package static let `default` = WorkflowSettings(
        workers: .default,
        pollIntervalSeconds: 30,
        attempts: [:],
        defaultAttempts: 3
    )

    /// Creates settings.
    package init(workers: WorkerLimits, pollIntervalSeconds: Double, attempts: [StageKind: Int], defaultAttempts: Int) {
        self.workers = workers
        self.pollIntervalSeconds = pollIntervalSeconds
        self.attempts = attempts
        self.defaultAttempts = defaultAttempts
    }

    /// The number of attempts a stage kind gets.
    package func attempts(for stage: StageKind) -> Int { attempts[stage] ?? defaultAttempts }
}

/// A loaded workflow: jobs plus the settings and shared inputs around them.
///
/// Every input format loads into this: a YAML or JSON workflow directly, a jobs CSV or a set of job scripts as a
/// workflow with defaults.
package struct Workflow: Hashable, Sendable, Codable {
    /// The workflow's name (the file's base name when the format has none).
    package var name: String
    /// The file the workflow was read from, as the user named it.
    package var sourcePath: String
    /// The directory relative paths were resolved against (absolute).
    package var baseDirectory: String
    /// Where the jobs run.
    package var platform: PlatformKind
    /// Run-wide settings.
    package var settings: WorkflowSettings
    /// Inputs uploaded once and shared by jobs.
    package var sharedInputs: [SharedInputSpec]
    /// The jobs, in definition order.
    package var jobs: [JobSpec]
    /// How jobs go to Slurm (`slurm:`), if the workflow says.
    package var slurm: SlurmSettings?

    /// Creates a workflow.
    package init(
        name: String,
        sourcePath: String,
        baseDirectory: String,
        platform: PlatformKind = .local,
        settings: WorkflowSettings = .default,
        sharedInputs: [SharedInputSpec] = [],
        jobs: [JobSpec]
    ) {
        self.name = name
        self.sourcePath = sourcePath
        self.baseDirectory = baseDirectory
        self.platform = platform
        self.settings = settings
        self.sharedInputs = sharedInputs
        self.jobs = jobs
    }
}

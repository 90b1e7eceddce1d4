/// How a workflow's jobs are submitted to a Slurm cluster (`slurm:` in a workflow; used with `platform: slurm`).
///
/// Every field is optional: an absent partition, account or QOS lets the cluster pick its default, and an absent
/// work root puts the jobs' directories beside the workflow's runs (`.interlink/slurm`).
package struct SlurmSettings: Hashable, Sendable, Codable {
    /// The most `sbatch` calls per second a workflow may ask for.
    package static let maximumSubmitRate = 1000.0
    /// The default pace of `sbatch` calls: a controller is shared.
    package static let defaultSubmitRate = 10.0

    /// `--partition`, if any.
    package var partition: String?
    /// `--account`, if any.
    package var account: String?
    /// `--qos`, if any.
    package var qos: String?
    /// Further `sbatch` arguments, each one word (`--mem=2G`, `--constraint=ib`), passed before the script.
    package var sbatchArguments: [String]
    /// A directory the compute nodes see, where inputs are staged and jobs run; relative paths resolve against the
    /// workflow's directory; nil means `<workflow directory>/.interlink/slurm`.
    package var workRoot: String?
    /// The most `sbatch` calls per second; nil means ``defaultSubmitRate``.
    package var submitRate: Double?
    /// Whether the jobs of one sweep that are ready together go as one job array (`sbatch --array`, split at the
    /// cluster's `MaxArraySize`); nil or false sends every job with its own `sbatch`.
    package var array: Bool?

    /// Creates settings.
    ///
    /// - Parameters:
    ///   - partition: `--partition`.
    ///   - account: `--account`.
    ///   - qos: `--qos`.
    ///   - sbatchArguments: Further `sbatch` arguments.
    ///   - workRoot: Where jobs' directories go.
    ///   - submitRate: The most `sbatch` calls per second.
    ///   - array: Whether sweeps go as job arrays.
    package init(
        partition: String? = nil,
        account: String? = nil,
        qos: String? = nil,
        sbatchArguments: [String] = [],
        workRoot: String? = nil,
        submitRate: Double? = nil,
        array: Bool? = nil
    ) {
        self.partition = partition
        self.account = account
        self.qos = qos
        self.sbatchArguments = sbatchArguments
        self.workRoot = workRoot
        self.submitRate = submitRate
        self.array = array
    }

    /// Whether sweeps go as job arrays.
    package var sendsArrays: Bool { array ?? false }
}

/// The keys the workflow format (version 1) accepts in each kind of mapping.
///
/// The parser checks every mapping against one of these lists (unknown keys get a did-you-mean) and the schema
/// test checks that `schemas/workflow.schema.json` declares exactly these properties, so the two never drift.
package enum WorkflowKeys {
    /// The top level of a workflow document.
    package static let document = [
        "version", "name", "platform", "settings", "slurm", "shared-inputs", "defaults", "jobs",
    ]
    /// `slurm:`.
    package static let slurm = ["partition", "account", "qos", "sbatch-args", "work-root", "submit-rate", "array"]
    /// `settings:`.
    package static let settings = ["workers", "poll-interval", "attempts"]
    /// `settings.workers:`.
    package static let workers = ["archive", "transfer", "api"]
    /// `settings.attempts:`: `default` plus every stage name.
    package static let attempts = ["default"] + StageKind.names
    /// The job fields `defaults:` and every kind of job entry accept.
    package static let jobFields = [
        "analysis", "analysis-version", "core-type", "cores-per-slot", "slots", "walltime", "command", "env",
        "license", "project-id", "org-code", "tags", "low-priority", "submit", "automations", "inputs", "outputs",
    ]
    /// `defaults:`.
    package static let defaults = jobFields
    /// A job written out in full.
    package static let inlineJob = ["name", "needs"] + jobFields
    /// A parameter sweep: a job template plus `matrix:`.
    package static let sweepJob = ["name", "matrix", "needs"] + jobFields
    /// An import of a jobs CSV or of job scripts: `from:` plus defaults for the imported jobs.
    package static let importJobs = ["from", "needs"] + jobFields
    /// Jobs made from run directories found by a pattern.
    package static let directoryJobs = ["directories", "name", "needs"] + jobFields
    /// `license:`.
    package static let license = ["use-rescale-license", "on-demand-seller", "user-defined-settings", "env"]
    /// `matrix:` keys other than axis names.
    package static let matrixReserved = ["include", "exclude"]
    /// An input that archives a directory.
    package static let archiveInput = [
        "directory", "include", "exclude", "flatten", "subpath", "compression", "decompress", "files",
    ]
    /// An input that names a shared input.
    package static let sharedReference = ["shared"]
    /// An input that is a file already on Rescale.
    package static let existingFile = ["file-id", "decompress"]
    /// A shared input made from one local file.
    package static let sharedFile = ["file", "decompress"]
    /// `outputs:`.
    package static let outputs = ["include", "exclude", "destination", "download"]
}

/// What the current task is working on, for log lines: the run, the job, the stage and the attempt.
///
/// The engine sets it (a task-local value) around each step, and InterlinkCLI's logging metadata provider adds it
/// to every line logged below, so an API retry or a storage attempt names its run and job without the API client
/// or the storage knowing about either. Values are identifiers, never secrets.
package struct LogContext: Hashable, Sendable {
    /// The run (`run.id`).
    package var runID: String?
    /// The job or shared input (`job.name`).
    package var jobName: String?
    /// The stage (`stage`), such as `upload` or `submit`.
    package var stage: String?
    /// The step's attempt, 1-based (`attempt`).
    package var attempt: Int?

    /// Creates a context.
    package init(runID: String? = nil, jobName: String? = nil, stage: String? = nil, attempt: Int? = nil) {
        self.runID = runID
        self.jobName = jobName
        self.stage = stage
        self.attempt = attempt
    }

    /// The context of the running task; empty outside a run.
    @TaskLocal package static var current = LogContext()

    /// The context as log metadata, with the keys `run.id`, `job.name`, `stage` and `attempt`; unset values are
    /// left out.
    package var metadata: [String: String] {
        var metadata: [String: String] = [:]
        if let runID { metadata["run.id"] = runID }
        if let jobName { metadata["job.name"] = jobName }
        if let stage { metadata["stage"] = stage }
        if let attempt { metadata["attempt"] = String(attempt) }
        return metadata
    }
}

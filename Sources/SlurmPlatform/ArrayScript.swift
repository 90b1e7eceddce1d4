import InterlinkCore

/// The script and `sbatch` arguments of one job array: task `I` runs the job linked as `I` in the array's
/// directory, with that job's own batch script, work directory and log, exactly as if it had been sent alone.
///
/// The task first writes its ids (`A_I` and its own job id) into the job's directory, so that its result can be
/// read from the job-completion log after the controller forgot it (that log names array tasks by their own id).
package struct ArrayScript: Hashable, Sendable {
    /// The array's marker: its `--job-name` and `--comment`.
    package var marker: String
    /// The array's directory (`--chdir`), holding a link per task to its job's directory.
    package var directory: String
    /// How many tasks (indices `0..<count`).
    package var count: Int
    /// `--time` in minutes.
    package var minutes: Int
    /// `--ntasks`.
    package var tasks: Int
    /// `--cpus-per-task`.
    package var cpusPerTask: Int

    /// Creates an array script.
    package init(marker: String, directory: String, count: Int, minutes: Int, tasks: Int, cpusPerTask: Int) {
        self.marker = marker
        self.directory = directory
        self.count = count
        self.minutes = minutes
        self.tasks = tasks
        self.cpusPerTask = cpusPerTask
    }

    /// The script text.
    package var text: String {
        [
            "#!/bin/bash",
            "# interlink array \(marker): \(count) jobs; task I runs the job linked as I beside this script",
            "job=\(BatchScript.quoted(directory))/\"$SLURM_ARRAY_TASK_ID\"",
            "printf '%s_%s %s\\n' \"$SLURM_ARRAY_JOB_ID\" \"$SLURM_ARRAY_TASK_ID\" \"$SLURM_JOB_ID\" > \"$job/slurm-task\"",
            "exec /bin/bash \"$job/job.sh\"",
        ].joined(separator: "\n") + "\n"
    }

    /// The `sbatch` arguments before the script's path: each task's log is `process_output.log` in its own job's
    /// work directory (through the task's link).
    ///
    /// - Parameter settings: The workflow's partition, account, QOS and extra arguments.
    /// - Returns: The arguments, with `--parsable` so that stdout is the array's job id.
    package func arguments(settings: SlurmSettings) -> [String] {
        BatchScript.sbatchArguments(
            settings: settings,
            marker: marker,
            array: "0-\(max(count, 1) - 1)",
            directory: directory,
            log: "\(directory)/%a/work/\(BatchScript.logName)",
            minutes: minutes,
            tasks: tasks,
            cpusPerTask: cpusPerTask
        )
    }

    /// The array job id of a task id (`123_4` → `123`), nil for a plain id.
    package static func arrayID(of id: String) -> String? {
        guard let underscore = id.firstIndex(of: "_") else { return nil }
        return String(id[..<underscore])
    }
}

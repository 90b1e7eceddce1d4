import InterlinkCore

/// The batch script and `sbatch` arguments of one job.
///
/// The script exports the job's variables (quoted, never interpolated), sets `HOME` to the job's directory as the
/// local platform does, enters the work directory and runs the command with `/bin/bash -c`, so the job's exit
/// status is the command's. Slurm writes stdout and stderr to `process_output.log` in the work directory.
package struct BatchScript: Hashable, Sendable {
    /// The marker: the job's `--job-name` and `--comment`.
    package var marker: String
    /// The job's display name (a comment line of the script).
    package var name: String
    /// The shell command.
    package var command: String
    /// The job's variables.
    package var environment: [String: String]
    /// The job's directory (its `HOME`).
    package var jobDirectory: String
    /// The work directory (`--chdir`).
    package var workDirectory: String
    /// `--time` in minutes (Slurm's granularity).
    package var minutes: Int
    /// `--ntasks`: slots.
    package var tasks: Int
    /// `--cpus-per-task`: cores per slot.
    package var cpusPerTask: Int

    /// The name of the command's log in the work directory, as on the local platform.
    package static let logName = "process_output.log"

    /// Creates a script.
    package init(
        marker: String,
        name: String,
        command: String,
        environment: [String: String],
        jobDirectory: String,
        workDirectory: String,
        minutes: Int,
        tasks: Int,
        cpusPerTask: Int
    ) {
        self.marker = marker
        self.name = name
        self.command = command
        self.environment = environment
        self.jobDirectory = jobDirectory
        self.workDirectory = workDirectory
        self.minutes = minutes
        self.tasks = tasks
        self.cpusPerTask = cpusPerTask
    }

    /// Whole minutes for a walltime, rounded up, at least 1.
    package static func minutes(hours: Double) -> Int {
        max(1, Int((hours * 60).rounded(.up)))
    }

    /// The script text.
    package var text: String {
        var lines = [
            "#!/bin/bash",
            "# interlink job \(marker): \(Self.singleLine(name))",
            "export HOME=\(Self.quoted(jobDirectory))",
            "export LANG=C.UTF-8",
        ]
        for (key, value) in environment.sorted(by: { $0.key < $1.key }) where Self.isName(key) {
            lines.append("export \(key)=\(Self.quoted(value))")
        }
        lines.append("cd \(Self.quoted(workDirectory)) || exit 1")
        lines.append("/bin/bash -c \(Self.quoted(command))")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The `sbatch` arguments before the script's path.
    ///
    /// - Parameter settings: The workflow's partition, account, QOS and extra arguments.
    /// - Returns: The arguments, with `--parsable` so that stdout is the job id.
    package func arguments(settings: SlurmSettings) -> [String] {
        Self.sbatchArguments(
            settings: settings,
            marker: marker,
            array: nil,
            directory: workDirectory,
            log: "\(workDirectory)/\(Self.logName)",
            minutes: minutes,
            tasks: tasks,
            cpusPerTask: cpusPerTask
        )
    }

    /// The `sbatch` arguments a job and an array share, around where they run and log.
    ///
    /// - Parameters:
    ///   - settings: The workflow's partition, account, QOS and extra arguments.
    ///   - marker: The run's marker, as the job name and comment.
    ///   - array: The `--array` range of an array job (`0-11`), nil for a plain job.
    ///   - directory: `--chdir`.
    ///   - log: `--output`: where the job's (each task's) stdout and stderr go.
    ///   - minutes: The time limit.
    ///   - tasks: The number of tasks (at least 1).
    ///   - cpusPerTask: The CPUs of each task (at least 1).
    /// - Returns: The arguments, with `--parsable` so that stdout is the job id.
    static func sbatchArguments(
        settings: SlurmSettings,
        marker: String,
        array: String?,
        directory: String,
        log: String,
        minutes: Int,
        tasks: Int,
        cpusPerTask: Int
    ) -> [String] {
        // Only PATH from the runner's environment (as the local platform does): never its secrets.
        var arguments = ["--parsable", "--export=PATH"]
        if let array { arguments.append("--array=\(array)") }
        arguments += [
            "--job-name=\(marker)",
            "--comment=\(marker)",
            "--chdir=\(directory)",
            "--output=\(log)",
            "--open-mode=append",
            "--time=\(minutes)",
            "--ntasks=\(max(tasks, 1))",
            "--cpus-per-task=\(max(cpusPerTask, 1))",
        ]
        if let partition = settings.partition { arguments.append("--partition=\(partition)") }
        if let account = settings.account { arguments.append("--account=\(account)") }
        if let qos = settings.qos { arguments.append("--qos=\(qos)") }
        arguments += settings.sbatchArguments
        return arguments
    }

    /// A shell word that stands for `text` exactly.
    package static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    private static func isName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic)
        else { return false }
        return text.unicodeScalars.allSatisfy {
            $0 == "_" || ($0.isASCII && $0.properties.isAlphabetic) || ("0"..."9").contains($0)
        }
    }

    private static func singleLine(_ text: String) -> String {
        text.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
    }
}

/// Checks every format's jobs the same way: required values, ranges, names, references and directories.
///
/// Parsers report what only they can see (syntax, unknown keys, bad literals); this reports what holds for any
/// job regardless of where it was written, so a CSV row and a YAML entry fail with the same words.
package struct JobValidator: Sendable {
    /// The file system used to check that directories exist.
    package let fileSystem: any FileSystem

    /// Creates a validator.
    package init(fileSystem: any FileSystem) { self.fileSystem = fileSystem }

    /// Validates a workflow's jobs and shared inputs.
    ///
    /// - Parameter workflow: The loaded workflow.
    /// - Returns: Every problem found, in job order.
    package func diagnose(_ workflow: Workflow) -> [Diagnostic] {
        var collector = DiagnosticCollector()
        // Where each name was first seen: what a duplicate's help names (a whole job per name costs a large plan).
        var firstJob: [String: SourceLocation?] = [:]
        firstJob.reserveCapacity(workflow.jobs.count)
        let sharedNames = workflow.sharedInputs.map(\.name)
        var seenShared: [String: SharedInputSpec] = [:]
        for shared in workflow.sharedInputs {
            if let first = seenShared[shared.name] {
                collector.error(
                    "duplicate shared input name '\(shared.name)'",
                    help: "rename one of them; the first is at \(first.origin?.description ?? "an earlier entry")",
                    at: shared.origin
                )
            } else {
                seenShared[shared.name] = shared
            }
            if case .archive(let archive) = shared.source {
                checkDirectory(archive, at: shared.origin, into: &collector)
            } else if case .file(let path, _) = shared.source, fileSystem.entry(at: path)?.isFile != true {
                collector.error(
                    "shared input file '\(path)' does not exist",
                    help: "create the file or correct the path (relative paths start at the workflow's folder)",
                    at: shared.origin
                )
            }
        }
        let jobNames = workflow.jobs.map(\.name)
        let knownNames = Set(jobNames)
        for job in workflow.jobs {
            checkValues(of: job, into: &collector)
            if !job.name.isEmpty {
                if let first = firstJob[job.name] {
                    collector.error(
                        "duplicate job name '\(job.name)'",
                        help: "job names must be unique; the first is at \(first?.description ?? "an earlier entry")",
                        at: job.origin
                    )
                } else {
                    firstJob[job.name] = .some(job.origin)
                }
            }
            for need in job.needs where !knownNames.contains(need) {
                collector.error(
                    "job '\(job.name)' needs unknown job '\(need)'",
                    help: Suggestion.closest(to: need, in: jobNames).map { "did you mean '\($0)'?" }
                        ?? "name a job defined in this workflow",
                    at: job.origin
                )
            }
            if job.needs.contains(job.name) {
                collector.error(
                    "job '\(job.name)' needs itself",
                    help: "remove '\(job.name)' from its needs",
                    at: job.origin
                )
            }
            for input in job.inputs {
                switch input {
                case .archive(let archive):
                    checkDirectory(archive, at: job.origin, into: &collector)
                case .shared(let name) where !sharedNames.contains(name):
                    collector.error(
                        "job '\(job.name)' uses unknown shared input '\(name)'",
                        help: Suggestion.closest(to: name, in: sharedNames).map { "did you mean '\($0)'?" }
                            ?? "declare it under 'shared-inputs:'",
                        at: job.origin
                    )
                case .shared, .existing:
                    break
                }
            }
        }
        return collector.diagnostics
    }

    /// The checks a file's value errors must not hide: duplicate job names, and each archived run directory and
    /// its tar subpath.
    ///
    /// A parser that found errors in some values runs this on every row it read, so the user sees every problem
    /// of the file at once instead of these only after the values are fixed. A subpath that leaves its directory
    /// is not reported here: parsers report it with its column.
    ///
    /// - Parameter jobs: The jobs read, invalid values included (an empty name is not compared).
    /// - Returns: The problems found, in job order.
    package func diagnoseLayout(of jobs: [JobSpec]) -> [Diagnostic] {
        var collector = DiagnosticCollector()
        var firstJob: [String: SourceLocation?] = [:]
        firstJob.reserveCapacity(jobs.count)
        for job in jobs {
            if !job.name.isEmpty {
                if let first = firstJob[job.name] {
                    collector.error(
                        "duplicate job name '\(job.name)'",
                        help: "job names must be unique; the first is at \(first?.description ?? "an earlier entry")",
                        at: job.origin
                    )
                } else {
                    firstJob[job.name] = .some(job.origin)
                }
            }
            for case .archive(let archive) in job.inputs {
                let before = collector.diagnostics.count
                checkDirectory(archive, at: job.origin, reportsEscape: false, into: &collector)
                guard collector.diagnostics.count == before,
                    fileSystem.isDirectory(followingLinksAt: archive.sourceDirectory),
                    let manifest = try? ArchiveManifest.make(for: archive, in: fileSystem), manifest.fileCount == 0
                else { continue }
                let (message, help) = Self.emptyArchiveProblem(archive)
                collector.error(message, help: help, at: job.origin)
            }
        }
        return collector.diagnostics
    }

    /// The problem of an archive input with no file to archive, and its help.
    package static func emptyArchiveProblem(_ archive: ArchiveInput) -> (message: String, help: String) {
        (
            "no files to archive in '\(archive.sourceDirectory)'",
            archive.include.isEmpty && archive.exclude.isEmpty
                ? "put the job's input files in it, or remove the input"
                : "check the include and exclude patterns"
        )
    }

    private func checkValues(of job: JobSpec, into collector: inout DiagnosticCollector) {
        // Made only for a problem: most jobs have none.
        var label: String { job.name.isEmpty ? "job" : "job \(TerminalText.quoted(job.name))" }
        let at = job.origin
        if job.name.trimmingWhitespace().isEmpty {
            collector.error("job has no name", help: "give every job a unique name", at: at)
        } else if let (problem, help) = Self.nameProblem(job.name) {
            collector.error(problem, help: help, at: at)
        }
        checkNULBytes(in: job, into: &collector)
        if job.analysis.code.trimmingWhitespace().isEmpty {
            collector.error("\(label) has no analysis code", help: "set the analysis, e.g. 'user_included'", at: at)
        }
        if job.hardware.coreType.trimmingWhitespace().isEmpty {
            collector.error("\(label) has no core type", help: "set the core type, e.g. 'emerald'", at: at)
        }
        if job.command.trimmingWhitespace().isEmpty {
            collector.error("\(label) has no command", help: "set the shell command the job runs", at: at)
        } else if job.command.utf8.count > Self.maximumCommandBytes {
            collector.error(
                "\(label) has a command of \(job.command.utf8.count) bytes, over the \(Self.maximumCommandBytes) "
                    + "one argument may hold",
                help: "put the commands in a script among the job's inputs and run that script",
                at: at
            )
        }
        if job.hardware.coresPerSlot <= 0 {
            collector.error(
                "\(label) has \(job.hardware.coresPerSlot) cores per slot",
                help: "cores per slot must be at least 1",
                at: at
            )
        }
        if job.hardware.slots <= 0 {
            collector.error("\(label) has \(job.hardware.slots) slots", help: "slots must be at least 1", at: at)
        }
        if job.hardware.coresPerSlot > HardwareSpec.maximumCoresPerSlot {
            collector.error(
                "\(label) asks for \(job.hardware.coresPerSlot) cores per slot, more than any machine has",
                help: "use at most \(HardwareSpec.maximumCoresPerSlot) cores per slot; add slots for more",
                at: at
            )
        }
        if job.hardware.slots > HardwareSpec.maximumSlots {
            collector.error(
                "\(label) asks for \(job.hardware.slots) slots, over the limit of \(HardwareSpec.maximumSlots)",
                help: "use at most \(HardwareSpec.maximumSlots) slots",
                at: at
            )
        }
        let hours = job.hardware.walltime.hours
        if !hours.isFinite || hours <= 0 {
            collector.error(
                "\(label) has walltime '\(job.hardware.walltime)'",
                help: "give a positive walltime such as '2h'",
                at: at
            )
        } else if hours > Walltime.maximumHours {
            collector.error(
                "\(label) asks for \(job.hardware.walltime) hours of walltime, over the 336 h limit",
                help: "walltime is in hours, not seconds; use at most 336 (14 days)",
                at: at
            )
        }
    }

    private func checkDirectory(
        _ archive: ArchiveInput,
        at location: SourceLocation?,
        reportsEscape: Bool = true,
        into collector: inout DiagnosticCollector
    ) {
        let directory = archive.directory
        guard fileSystem.isDirectory(followingLinksAt: directory) else {
            let exists = fileSystem.exists(directory)
            collector.error(
                exists ? "'\(directory)' is not a directory" : "directory '\(directory)' does not exist",
                help: "create it or correct the path (relative paths start at the workflow's folder)",
                at: location
            )
            return
        }
        if let subpath = archive.subpath, !subpath.isEmpty {
            if !PathName.staysInside(subpath.drop { $0 == "/" }.description) {
                guard reportsEscape else { return }
                collector.error(
                    "tar subpath '\(subpath)' escapes run directory '\(directory)'",
                    help: "give a path inside the run directory",
                    at: location
                )
            } else if !fileSystem.isDirectory(followingLinksAt: archive.sourceDirectory) {
                collector.error(
                    "tar subpath '\(subpath)' does not exist in '\(directory)'",
                    help: "create it or correct the subpath",
                    at: location
                )
            }
        }
    }
}

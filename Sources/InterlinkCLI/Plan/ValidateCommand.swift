import ArgumentParser
import InterlinkCore
import InterlinkSystem

/// `rescale-int validate <spec>`: check a workflow, jobs CSV or job script without running anything.
package struct ValidateCommand: ParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a workflow, jobs CSV or job script and report every problem.",
        discussion: """
            Loads the spec (YAML or JSON workflow, Interlink jobs CSV, or SGE / #RESCALE_ job script), checks \
            every job and input directory and prints a one-line summary. Problems are printed as \
            'file:line:col: error: ...' with a help line; the exit code is then 65 and nothing is written. \
            Warnings are printed and do not change the exit code. No credentials are needed.

            Examples:
              rescale-int validate examples/pur-basic/jobs.csv
              rescale-int validate examples/dag-shared/workflow.yaml
              rescale-int validate --compat legacy/run.sh

            \(ExitStatus.helpText([.success, .usage, .invalidInput]))
            """
    )

    /// The job limit.
    @OptionGroup package var expansion: ExpansionOptions

    /// Reads a job script as rescale-cli does.
    @Flag(
        help: """
            Read a job script as rescale-cli does: defaults for missing directives, the leading digits of counts \
            and walltimes; each guess or ignored line is a warning.
            """
    )
    package var compat = false

    @Argument(help: "The workflow (.yaml, .yml, .json), jobs CSV (.csv) or job script to check.")
    var spec: String

    /// Creates the command (ArgumentParser fills it in).
    package init() {}

    package func run() throws {
        try Console.run { () throws(CommandFailure) in try execute(in: LocalFileSystem()) }
    }

    /// Does the work against a file system; returns stdout text and warnings.
    ///
    /// - Parameter fileSystem: The file system; relative paths resolve against its current directory.
    /// - Returns: `ok: <n> jobs, <m> shared inputs` and the warnings.
    /// - Throws: `CommandFailure` (65) with every diagnostic when the spec is invalid.
    package func execute(in fileSystem: some FileSystem) throws(CommandFailure) -> (
        output: String, warnings: [Diagnostic]
    ) {
        let (plan, warnings) = try SpecPlanning.plan(
            spec,
            in: fileSystem,
            statCache: StatCacheFile(createsDirectory: false),
            budget: expansion.budget,
            scriptMode: compat ? .compat : .strict
        )
        let jobs = plan.jobs.count
        let shared = plan.nodes.count - jobs
        let summary = "ok: \(SpecPlanning.count(jobs, "job")), \(SpecPlanning.count(shared, "shared input"))"
        return (summary + "\n", warnings)
    }
}

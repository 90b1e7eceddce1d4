import ArgumentParser
import InterlinkCore
import InterlinkSystem

/// `rescale-int plan <spec>`: show what a run would do, as a table, JSON or a Graphviz graph.
package struct PlanCommand: ParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show the stages, uploads, hardware and dependencies of every job without running anything.",
        discussion: """
            Loads and checks the spec like 'validate', then prints one row per node: the job (or shared input), \
            its stages, the files and bytes it uploads, its hardware and what it waits for. --json prints the \
            plan as described by schemas/plan.schema.json, with paths relative to the spec's folder; --dot \
            prints a Graphviz digraph of the nodes and their dependencies. --timings adds, on standard error, \
            the wall-clock and CPU time of each phase of loading and planning and how many input files were read \
            (the others were known from the stat cache). Invalid specs exit with 65.

            Examples:
              rescale-int plan examples/pur-basic/jobs.csv
              rescale-int plan examples/dag-shared/workflow.yaml --json > plan.json
              rescale-int plan examples/dag-shared/workflow.yaml --dot | dot -Tsvg > plan.svg
              rescale-int plan runs/jobs.csv --timings > /dev/null

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

    @Argument(help: "The workflow (.yaml, .yml, .json), jobs CSV (.csv) or job script to plan.")
    var spec: String

    @Flag(help: "Print the plan as JSON (schemas/plan.schema.json).")
    var json = false

    @Flag(help: "Print the plan as a Graphviz digraph.")
    var dot = false

    @Flag(help: "Print where the time of loading and planning went, phase by phase, on standard error.")
    var timings = false

    /// Creates the command (ArgumentParser fills it in).
    package init() {}

    package func validate() throws {
        if json, dot { throw ValidationError("--json and --dot cannot be used together.") }
    }

    package func run() throws {
        let timeline = timings ? PlanningTimeline.system() : nil
        try Console.run { () throws(CommandFailure) in try execute(in: LocalFileSystem(), timeline: timeline) }
        if let timeline { Console.error(timeline.rendered()) }
    }

    /// Does the work against a file system; returns stdout text and warnings.
    ///
    /// - Parameters:
    ///   - fileSystem: The file system; relative paths resolve against its current directory.
    ///   - timeline: Where the time of each phase is recorded, if anywhere (`--timings`).
    /// - Returns: The table, JSON or digraph, and the warnings.
    /// - Throws: `CommandFailure` (65) with every diagnostic when the spec is invalid.
    package func execute(in fileSystem: some FileSystem, timeline: PlanningTimeline? = nil) throws(CommandFailure)
        -> (output: String, warnings: [Diagnostic])
    {
        let (plan, warnings) = try SpecPlanning.plan(
            spec,
            in: fileSystem,
            statCache: StatCacheFile(createsDirectory: false),
            budget: expansion.budget,
            scriptMode: compat ? .compat : .strict,
            timeline: timeline
        )
        if json { return (PlanReport(plan).json(), warnings) }
        if dot { return (PlanGraph.dot(plan), warnings) }
        return (PlanTable.render(plan), warnings)
    }
}

import ArgumentParser
import InterlinkCore

/// `--max-jobs`: how many jobs a workflow may expand to before it is refused (sweeps included).
package struct ExpansionOptions: ParsableArguments {
    /// The job limit, over the default of 100,000.
    @Option(help: "Refuse a workflow that expands to more jobs than this (default: 100000).")
    package var maxJobs: Int?

    /// Creates the options with their defaults.
    package init() {}

    package func validate() throws {
        if let maxJobs, maxJobs < 1 { throw ValidationError("--max-jobs must be at least 1") }
    }

    /// The parsing budget these options ask for.
    package var budget: DocumentBudget {
        var budget = DocumentBudget.standard
        if let maxJobs { budget.maximumJobs = maxJobs }
        return budget
    }
}

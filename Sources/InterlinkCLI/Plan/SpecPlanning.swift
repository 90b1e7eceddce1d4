import InterlinkCore
import InterlinkSystem

/// Loads and plans the spec a command names, turning diagnostics into an invalid-input failure (exit 65).
enum SpecPlanning {
    /// Plans a spec file.
    ///
    /// - Parameters:
    ///   - path: The spec as the user named it.
    ///   - fileSystem: Where it and its inputs are read.
    ///   - statCache: Where input files' digests are remembered between plans, if anywhere.
    ///   - budget: How far the spec may expand (`--max-jobs`).
    ///   - scriptMode: How a job script is read (`--compat`: as rescale-cli reads it).
    ///   - timeline: Where the time of each phase is recorded, if anywhere (`--timings`).
    /// - Returns: The plan and its warnings.
    /// - Throws: `CommandFailure` with exit code 65 and every diagnostic.
    static func plan(
        _ path: String,
        in fileSystem: some FileSystem,
        statCache: (any StatCacheStore)? = nil,
        budget: DocumentBudget = .standard,
        scriptMode: JobScript.Mode = .strict,
        timeline: PlanningTimeline? = nil
    ) throws(CommandFailure) -> (plan: Plan, warnings: [Diagnostic]) {
        do {
            return try WorkflowPlanning.plan(
                path: path,
                fileSystem: fileSystem,
                statCacheStore: statCache,
                budget: budget,
                scriptMode: scriptMode,
                parallelism: ThreadFanOut(),
                timeline: timeline
            )
        } catch {
            throw CommandFailure(error)
        }
    }

    /// `1 job`, `3 jobs`: a count with its noun, plural when it is not one.
    static func count(_ value: Int, _ noun: String) -> String {
        "\(value) \(noun)\(value == 1 ? "" : "s")"
    }

    /// A byte count for people: `512 B`, `1.5 KiB`, `12.0 MiB`.
    static func bytes(_ value: Int64) -> String {
        guard value >= 1024 else { return "\(value) B" }
        var amount = Double(value)
        var unit = "B"
        for next in ["KiB", "MiB", "GiB", "TiB"] where amount >= 1024 {
            amount /= 1024
            unit = next
        }
        let tenths = (amount * 10).rounded() / 10
        return "\(tenths) \(unit)"
    }
}

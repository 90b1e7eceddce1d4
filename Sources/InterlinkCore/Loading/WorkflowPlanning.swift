/// Loads and plans a workflow file in one call: ``WorkflowLoader`` then ``Planner``.
package enum WorkflowPlanning {
    /// Loads a file and plans it.
    ///
    /// - Parameters:
    ///   - path: The file as the user named it.
    ///   - fileSystem: Where the file and its inputs are read.
    ///   - budget: How far the document may expand (nodes, text, jobs).
    /// - Returns: The plan and every warning from loading and planning, in that order.
    /// - Throws: `DiagnosticsError` with every problem found when the file cannot be loaded or planned.
    package static func plan(
        path: String,
        fileSystem: some FileSystem,
        budget: DocumentBudget = .standard
    ) throws(DiagnosticsError) -> (plan: Plan, warnings: [Diagnostic]) {
        let loaded = try WorkflowLoader.load(path: path, fileSystem: fileSystem, budget: budget)
        do {
            let planned = try Planner(fileSystem: fileSystem).plan(loaded.workflow)
            return (planned.plan, loaded.warnings + planned.warnings)
        } catch {
            throw DiagnosticsError(loaded.warnings + error.diagnostics)
        }
    }
}

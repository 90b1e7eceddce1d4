import Yams

/// Parses workflow documents (YAML, format version 1) and JSON job specs into a ``Workflow``.
///
/// The document is composed into Yams `Node`s (not decoded) so every diagnostic carries the line and column of
/// the value it is about. Every problem is collected before the parse fails. Relative paths resolve against
/// `baseDirectory`. Cross-job checks (duplicate names, unknown or cyclic `needs:`, missing directories) are left
/// to the common validator.
package enum WorkflowParser {
    /// Parses one document.
    ///
    /// A `.json` path also accepts a single job object or an array of job objects (jobs with no `defaults:`).
    ///
    /// - Parameters:
    ///   - contents: The document text.
    ///   - path: The path as the user named it, used in diagnostics and as `Workflow.sourcePath`.
    ///   - baseDirectory: The absolute directory relative paths resolve against (the document's directory).
    ///   - fileSystem: Where run directories and job scripts are found.
    ///   - importer: Reads jobs CSVs named by `from:`.
    /// - Returns: The workflow, with warnings dropped (use ``parseWithWarnings`` to keep them).
    /// - Throws: `DiagnosticsError` with every problem found, warnings included, when any is an error.
    package static func parse(
        contents: String,
        path: String,
        baseDirectory: String,
        fileSystem: some FileSystem,
        importer: some JobImporting
    ) throws(DiagnosticsError) -> Workflow {
        try parseWithWarnings(
            contents: contents,
            path: path,
            baseDirectory: baseDirectory,
            fileSystem: fileSystem,
            importer: importer
        ).workflow
    }

    /// Parses one document and returns its warnings too, such as near-miss script directives.
    ///
    /// - Parameters:
    ///   - contents: The document text.
    ///   - path: The path as the user named it.
    ///   - baseDirectory: The absolute directory relative paths resolve against.
    ///   - fileSystem: Where run directories and job scripts are found.
    ///   - importer: Reads jobs CSVs named by `from:`.
    ///   - budget: How far the document may expand: nodes and text through YAML aliases, and jobs.
    /// - Returns: The workflow and the warnings found on the way.
    /// - Throws: `DiagnosticsError` as ``parse(contents:path:baseDirectory:fileSystem:importer:)`` does.
    package static func parseWithWarnings(
        contents: String,
        path: String,
        baseDirectory: String,
        fileSystem: some FileSystem,
        importer: some JobImporting,
        budget: DocumentBudget = .standard
    ) throws(DiagnosticsError) -> (workflow: Workflow, warnings: [Diagnostic]) {
        var parser = DocumentParser(
            path: path,
            baseDirectory: baseDirectory,
            fileSystem: fileSystem,
            importer: importer,
            budget: budget
        )
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: contents) else {
                throw DiagnosticsError(
                    .error("the document is empty", help: "start with 'version: 1'", at: SourceLocation(file: path))
                )
            }
            if let excess = budget.excess(of: node) {
                throw DiagnosticsError(
                    .error(
                        "the document expands to \(excess) (through YAML aliases or sheer size)",
                        help: "write the repeated parts once with 'defaults:' or a sweep instead of alias chains",
                        at: SourceLocation(file: path)
                    )
                )
            }
            root = node
        } catch let error as DiagnosticsError {
            throw error
        } catch {
            throw DiagnosticsError(parser.diagnostic(for: error))
        }
        let isJSON = path.lowercased().hasSuffix(".json")
        let workflow = parser.workflow(from: root, allowsBareJobs: isJSON)
        if workflow.jobs.count > budget.maximumJobs {
            parser.diagnostics.error(
                "the workflow expands to \(workflow.jobs.count) jobs, over the limit of \(budget.maximumJobs)",
                help: "split the study, or raise the limit with --max-jobs",
                at: SourceLocation(file: path)
            )
        }
        let sorted = DiagnosticsError(inDocumentOrder(parser.diagnostics.diagnostics))
        guard sorted.errors.isEmpty else { throw sorted }
        return (workflow, sorted.diagnostics)
    }

    /// Diagnostics sorted by line and column within each file, files in order of first appearance.
    static func inDocumentOrder(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        var fileOrder: [String: Int] = [:]
        for diagnostic in diagnostics {
            let file = diagnostic.location?.file ?? ""
            if fileOrder[file] == nil { fileOrder[file] = fileOrder.count }
        }
        return diagnostics.enumerated().sorted { lhs, rhs in
            let (a, b) = (lhs.element.location, rhs.element.location)
            let keyA = (fileOrder[a?.file ?? ""] ?? 0, a?.line ?? 0, a?.column ?? 0, lhs.offset)
            let keyB = (fileOrder[b?.file ?? ""] ?? 0, b?.line ?? 0, b?.column ?? 0, rhs.offset)
            return keyA < keyB
        }.map(\.element)
    }
}

/// A workflow read from a file, with the warnings reading it produced.
package struct LoadedWorkflow: Hashable, Sendable {
    /// What kind of file a workflow was read from.
    package enum SourceKind: String, Hashable, Sendable, Codable {
        /// A YAML workflow (`.yaml`, `.yml`).
        case yaml
        /// A JSON workflow or job spec (`.json`).
        case json
        /// An Interlink (PUR) jobs CSV.
        case jobsCSV = "jobs-csv"
        /// One SGE / rescale-cli job script.
        case jobScript = "job-script"
    }

    /// The workflow, with absolute input paths.
    package var workflow: Workflow
    /// The kind of file it came from.
    package var kind: SourceKind
    /// Warnings, such as skipped blank rows or near-miss directives.
    package var warnings: [Diagnostic]

    /// Creates a loaded workflow.
    package init(workflow: Workflow, kind: SourceKind, warnings: [Diagnostic]) {
        self.workflow = workflow
        self.kind = kind
        self.warnings = warnings
    }
}

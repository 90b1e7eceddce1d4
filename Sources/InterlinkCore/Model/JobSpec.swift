/// Everything one job needs, whatever format it was written in (YAML, JSON, jobs CSV or job script).
///
/// Parsers produce `JobSpec`s; the planner turns them into plan nodes. Values are as the user wrote them after
/// the format's own defaults; validation of ranges happens in ``JobValidator`` so every format reports the same
/// problems the same way.
package struct JobSpec: Hashable, Sendable, Codable {
    /// The job's name, unique within a workflow.
    package var name: String
    /// The software to run.
    package var analysis: AnalysisSpec
    /// The shell command run in the job's work directory; may span lines.
    package var command: String
    /// The compute requested.
    package var hardware: HardwareSpec
    /// Environment variables for the command (license servers usually go here).
    package var environment: [String: String]
    /// License settings.
    package var license: LicenseSpec
    /// The Rescale project id, if any.
    package var projectID: String?
    /// The organization code used for project assignment.
    package var orgCode: String?
    /// Tags applied after the job is created, in order (duplicates kept, as Interlink does).
    package var tags: [String]
    /// Whether to run at low priority (economy pricing).
    package var isLowPriority: Bool
    /// Whether to submit after creating.
    package var submit: SubmitMode
    /// Inputs, in the order they are attached.
    package var inputs: [InputSpec]
    /// Which outputs to download.
    package var outputs: OutputSpec
    /// Names of jobs that must finish successfully before this one starts.
    package var needs: [String]
    /// Rescale automation ids to attach.
    package var automations: [String]
    /// Where the job was defined (a CSV row, a YAML entry, a script), for diagnostics.
    package var origin: SourceLocation?

    /// Creates a job specification.
    package init(
        name: String,
        analysis: AnalysisSpec,
        command: String,
        hardware: HardwareSpec,
        environment: [String: String] = [:],
        license: LicenseSpec = LicenseSpec(),
        projectID: String? = nil,
        orgCode: String? = nil,
        tags: [String] = [],
        isLowPriority: Bool = false,
        submit: SubmitMode = .submit,
        inputs: [InputSpec] = [],
        outputs: OutputSpec = .default,
        needs: [String] = [],
        automations: [String] = [],
        origin: SourceLocation? = nil
    ) {
        self.name = name
        self.analysis = analysis
        self.command = command
        self.hardware = hardware
        self.environment = environment
        self.license = license
        self.projectID = projectID
        self.orgCode = orgCode
        self.tags = tags
        self.isLowPriority = isLowPriority
        self.submit = submit
        self.inputs = inputs
        self.outputs = outputs
        self.needs = needs
        self.automations = automations
        self.origin = origin
    }
}

/// A partly specified job: the values one level of a workflow (built-in defaults, `defaults:`, an entry, a script)
/// sets, each nil when that level leaves it alone.
///
/// Levels combine with ``overlaid(by:)``: scalars and lists of the upper level replace the lower level's, maps
/// (`env`) merge key by key with the upper level winning. Text fields may hold `{placeholders}` that
/// ``makeJob(name:variables:baseDirectory:homeDirectory:needs:origin:)`` substitutes; archive directories stay
/// as written until then and are resolved against the workflow's directory after substitution.
package struct JobTemplate: Hashable, Sendable {
    /// The analysis code.
    package var analysisCode: String?
    /// The analysis version.
    package var analysisVersion: String?
    /// The core type code.
    package var coreType: String?
    /// Cores per slot, at least 1.
    package var coresPerSlot: Int?
    /// Slots, at least 1.
    package var slots: Int?
    /// The walltime.
    package var walltime: Walltime?
    /// The command.
    package var command: String?
    /// Environment variables, license variables included; merged across levels.
    package var environment: [String: String] = [:]
    /// Whether to use Rescale licenses.
    package var useRescaleLicense: Bool?
    /// The on-demand license seller.
    package var onDemandSeller: String?
    /// Raw user-defined license settings.
    package var userDefinedLicenseSettings: String?
    /// The project id.
    package var projectID: String?
    /// The organization code.
    package var orgCode: String?
    /// Tags.
    package var tags: [String]?
    /// Low priority.
    package var isLowPriority: Bool?
    /// Submit mode.
    package var submit: SubmitMode?
    /// Automation ids.
    package var automations: [String]?
    /// Inputs, archive directories not yet resolved.
    package var inputs: [InputSpec]?
    /// Output include globs.
    package var outputInclude: [String]?
    /// Output exclude globs.
    package var outputExclude: [String]?
    /// Output destination template.
    package var outputDestination: String?
    /// Whether outputs are downloaded.
    package var outputDownload: Bool?

    /// Creates an empty template that sets nothing.
    package init() {}

    /// The values every job gets when no level sets them: `user_included` on `emerald`, 1 core, 1 slot, 1 hour.
    package static let builtIn: JobTemplate = {
        var template = JobTemplate()
        template.analysisCode = "user_included"
        template.coreType = "emerald"
        template.coresPerSlot = 1
        template.slots = 1
        template.walltime = Walltime(hours: 1)
        return template
    }()

    /// This template with every value `upper` sets replacing this one's (environment maps merge).
    ///
    /// - Parameter upper: The more specific level.
    /// - Returns: The combined template.
    package func overlaid(by upper: JobTemplate) -> JobTemplate {
        var result = self
        result.analysisCode = upper.analysisCode ?? analysisCode
        result.analysisVersion = upper.analysisVersion ?? analysisVersion
        result.coreType = upper.coreType ?? coreType
        result.coresPerSlot = upper.coresPerSlot ?? coresPerSlot
        result.slots = upper.slots ?? slots
        result.walltime = upper.walltime ?? walltime
        result.command = upper.command ?? command
        result.environment.merge(upper.environment) { _, new in new }
        result.useRescaleLicense = upper.useRescaleLicense ?? useRescaleLicense
        result.onDemandSeller = upper.onDemandSeller ?? onDemandSeller
        result.userDefinedLicenseSettings = upper.userDefinedLicenseSettings ?? userDefinedLicenseSettings
        result.projectID = upper.projectID ?? projectID
        result.orgCode = upper.orgCode ?? orgCode
        result.tags = upper.tags ?? tags
        result.isLowPriority = upper.isLowPriority ?? isLowPriority
        result.submit = upper.submit ?? submit
        result.automations = upper.automations ?? automations
        result.inputs = upper.inputs ?? inputs
        result.outputInclude = upper.outputInclude ?? outputInclude
        result.outputExclude = upper.outputExclude ?? outputExclude
        result.outputDestination = upper.outputDestination ?? outputDestination
        result.outputDownload = upper.outputDownload ?? outputDownload
        return result
    }
}

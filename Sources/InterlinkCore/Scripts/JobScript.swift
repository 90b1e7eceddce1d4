/// What a job script's SGE `#$` and rescale-cli `#RESCALE_` directives set, before defaults and validation.
package struct JobScript: Hashable, Sendable {
    /// The script's path as the user named it.
    package var path: String
    /// The job name.
    package var name: String?
    /// The `#RESCALE_COMMAND` value, when one was given.
    package var commandDirective: String?
    /// Body lines (not comments), trimmed, in order.
    package var bodyLines: [String] = []
    /// The analysis code.
    package var analysisCode: String?
    /// The analysis version.
    package var analysisVersion: String?
    /// The core type code.
    package var coreType: String?
    /// Cores per slot.
    package var coresPerSlot: Int?
    /// Slots.
    package var slots: Int?
    /// The walltime.
    package var walltime: Walltime?
    /// Tags, appended across directives.
    package var tags: [String] = []
    /// The project id.
    package var projectID: String?
    /// `#RESCALE_INBOUND_SSH_CIDR`, parsed but not sent (Rescale's job API has no field for it).
    package var inboundSSHCIDR: String?
    /// `#RESCALE_PUBLIC_KEY`, parsed but not sent.
    package var publicKey: String?
    /// `#USE_RESCALE_LICENSE`.
    package var useRescaleLicense: Bool?
    /// `#RESCALE_ENV_<NAME>` values.
    package var environment: [String: String] = [:]
    /// `#RESCALE_USER_DEFINED_LICENSE_SETTINGS`.
    package var userDefinedLicenseSettings: String?
    /// Automation ids, appended across directives.
    package var automations: [String] = []
    /// Directives whose value was malformed, so that validation does not also call them missing.
    package var invalidDirectives: Set<ScriptDirective> = []
    /// Problems found while reading (malformed values are errors, near-miss directives warnings).
    package var diagnostics: [Diagnostic] = []
    /// How values were read: strictly, or as rescale-cli reads them (each guess or ignored line a warning).
    package var mode: Mode = .strict

    /// Creates an empty script record.
    package init(path: String) { self.path = path }

    /// The command: the `#RESCALE_COMMAND` value, else the body lines joined with newlines.
    package var command: String? {
        if let commandDirective { return commandDirective }
        return bodyLines.isEmpty ? nil : bodyLines.joined(separator: "\n")
    }

    /// The values the script sets, as a template that overrides a workflow's defaults.
    package var template: JobTemplate {
        var template = JobTemplate()
        template.analysisCode = analysisCode
        template.analysisVersion = analysisVersion
        template.coreType = coreType
        template.coresPerSlot = coresPerSlot
        template.slots = slots
        template.walltime = walltime
        template.command = command
        template.environment = environment
        template.useRescaleLicense = useRescaleLicense
        template.userDefinedLicenseSettings = userDefinedLicenseSettings
        template.projectID = projectID
        template.tags = tags.isEmpty ? nil : tags
        template.automations = automations.isEmpty ? nil : automations
        return template
    }
}

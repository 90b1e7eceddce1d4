import InterlinkCore

/// The job-create body (`POST /api/v3/jobs/`), as the local cloud stores it.
package struct JobDefinition: Hashable, Sendable, Codable {
    /// One analysis of a job.
    package struct Analysis: Hashable, Sendable, Codable {
        /// The shell command.
        package var command: String
        /// `{code, version}`.
        package var analysis: AnalysisSpec
        /// `{coreType, coresPerSlot, slots, walltime}`; walltime in whole hours.
        package var hardware: Hardware
        /// `[{id, decompress}]`.
        package var inputFiles: [JobInputFile]
        /// The environment.
        package var envVars: [String: String]
        /// Whether Rescale licenses are used.
        package var useRescaleLicense: Bool
        /// The on-demand license seller, if any.
        package var onDemandLicenseSeller: String?
        /// Raw user-defined license settings, if any.
        package var userDefinedLicenseSettings: String?
    }

    /// The hardware of an analysis.
    package struct Hardware: Hashable, Sendable, Codable {
        /// The core type code.
        package var coreType: String
        /// Cores per slot.
        package var coresPerSlot: Int
        /// Slots.
        package var slots: Int
        /// Whole hours, at least 1 (never seconds).
        package var walltime: Int

        /// The cores the job occupies.
        package var cores: Int { coresPerSlot * max(slots, 1) }
    }

    /// The job name.
    package var name: String
    /// The analyses; Interlink sends one.
    package var jobanalyses: [Analysis]
    /// Economy pricing.
    package var isLowPriority: Bool
    /// The project, if any.
    package var projectId: String?
    /// Automation ids.
    package var jobAutomations: [String]

    /// The body Interlink sends for a job request.
    package init(_ request: JobRequest) {
        let spec = request.spec
        name = request.name
        jobanalyses = [
            Analysis(
                command: spec.command,
                analysis: spec.analysis,
                hardware: Hardware(
                    coreType: spec.hardware.coreType,
                    coresPerSlot: spec.hardware.coresPerSlot,
                    slots: max(spec.hardware.slots, 1),
                    walltime: spec.hardware.walltime.apiHours
                ),
                inputFiles: request.inputFiles,
                envVars: spec.environment,
                useRescaleLicense: spec.license.useRescaleLicense,
                onDemandLicenseSeller: spec.license.onDemandSeller,
                userDefinedLicenseSettings: spec.license.userDefinedSettings
            )
        ]
        isLowPriority = spec.isLowPriority
        projectId = spec.projectID
        jobAutomations = spec.automations
    }
}

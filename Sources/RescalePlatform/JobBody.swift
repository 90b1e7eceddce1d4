import InterlinkCore
import RescaleAPI

/// Builds the `POST /api/v3/jobs/` body from a job request.
enum JobBody {
    /// The body, with the name given (the marked name).
    ///
    /// - Throws: `PlatformError` (fatal) when the user-defined license settings are not JSON.
    static func make(for request: JobRequest, name: String) throws -> JobCreateBody {
        let spec = request.spec
        var licenseSettings: RawJSON?
        if let text = spec.license.userDefinedSettings, !text.trimmingWhitespace().isEmpty {
            guard let parsed = RawJSON(text: text) else {
                throw PlatformError(
                    .rejected(status: 0, message: "userDefinedLicenseSettings of '\(spec.name)' is not valid JSON"),
                    retryClass: .fatal
                )
            }
            licenseSettings = parsed
        }
        let version = spec.analysis.version.flatMap { $0.trimmingWhitespace().isEmpty ? nil : $0 }
        let inputs = request.inputFiles.map { JobAnalysis.InputFile(id: $0.id.rawValue, decompress: $0.decompress) }
        let analysis = JobAnalysis(
            command: spec.command,
            analysis: .init(code: spec.analysis.code, version: version),
            hardware: .init(
                coreType: .init(code: spec.hardware.coreType),
                coresPerSlot: spec.hardware.coresPerSlot,
                slots: spec.hardware.slots > 0 ? spec.hardware.slots : nil,
                walltime: spec.hardware.walltime.apiHours
            ),
            inputFiles: inputs.isEmpty ? nil : inputs,
            envVars: spec.environment.isEmpty ? nil : spec.environment,
            useRescaleLicense: spec.license.useRescaleLicense,
            onDemandLicenseSeller: spec.license.onDemandSeller.flatMap { $0.isEmpty ? nil : $0 },
            userDefinedLicenseSettings: licenseSettings
        )
        let project = spec.projectID.flatMap { $0.trimmingWhitespace().isEmpty ? nil : $0 }
        let automations = spec.automations.map { JobAutomation(id: $0) }
        return JobCreateBody(
            name: name,
            jobanalyses: [analysis],
            isLowPriority: spec.isLowPriority,
            projectId: project,
            jobAutomations: automations.isEmpty ? nil : automations
        )
    }
}

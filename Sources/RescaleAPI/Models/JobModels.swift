/// The body of `POST /api/v3/jobs/`, with its null and omission rules.
package struct JobCreateBody: Encodable, Hashable, Sendable {
    /// The job name.
    package var name: String
    /// Exactly one analysis for PUR jobs.
    package var jobanalyses: [JobAnalysis]
    /// Economy pricing; always sent.
    package var isLowPriority: Bool
    /// Left out when empty.
    package var projectId: String?
    /// Left out when empty; each entry always carries `environmentVariables`.
    package var jobAutomations: [JobAutomation]?

    /// Creates a body.
    package init(
        name: String,
        jobanalyses: [JobAnalysis],
        isLowPriority: Bool,
        projectId: String?,
        jobAutomations: [JobAutomation]?
    ) {
        self.name = name
        self.jobanalyses = jobanalyses
        self.isLowPriority = isLowPriority
        self.projectId = projectId
        self.jobAutomations = jobAutomations
    }
}

/// One analysis of a job.
package struct JobAnalysis: Encodable, Hashable, Sendable {
    /// The command.
    package var command: String
    /// `{"code", "version"}`; version left out when unknown.
    package var analysis: AnalysisReference
    /// Core type, cores per slot, slots, walltime.
    package var hardware: Hardware
    /// Left out when empty.
    package var inputFiles: [InputFile]?
    /// Left out when empty.
    package var envVars: [String: String]?
    /// Always sent.
    package var useRescaleLicense: Bool
    /// Always sent, `null` when none.
    package var onDemandLicenseSeller: String?
    /// Always sent, `null` when none: raw JSON.
    package var userDefinedLicenseSettings: RawJSON?

    enum CodingKeys: String, CodingKey {
        case command, analysis, hardware, inputFiles, envVars, useRescaleLicense, onDemandLicenseSeller
        case userDefinedLicenseSettings
    }

    /// Creates an analysis.
    package init(
        command: String,
        analysis: AnalysisReference,
        hardware: Hardware,
        inputFiles: [InputFile]?,
        envVars: [String: String]?,
        useRescaleLicense: Bool,
        onDemandLicenseSeller: String?,
        userDefinedLicenseSettings: RawJSON?
    ) {
        self.command = command
        self.analysis = analysis
        self.hardware = hardware
        self.inputFiles = inputFiles
        self.envVars = envVars
        self.useRescaleLicense = useRescaleLicense
        self.onDemandLicenseSeller = onDemandLicenseSeller
        self.userDefinedLicenseSettings = userDefinedLicenseSettings
    }

    /// Encodes with explicit nulls for the three license keys, omitting empty optional lists and maps.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(command, forKey: .command)
        try container.encode(analysis, forKey: .analysis)
        try container.encode(hardware, forKey: .hardware)
        try container.encodeIfPresent(inputFiles, forKey: .inputFiles)
        try container.encodeIfPresent(envVars, forKey: .envVars)
        try container.encode(useRescaleLicense, forKey: .useRescaleLicense)
        try container.encode(onDemandLicenseSeller, forKey: .onDemandLicenseSeller)
        try container.encode(userDefinedLicenseSettings, forKey: .userDefinedLicenseSettings)
    }

    /// `{"code", "version"?}`.
    package struct AnalysisReference: Encodable, Hashable, Sendable {
        /// The analysis code.
        package var code: String
        /// The version code; omitted when nil.
        package var version: String?

        /// Creates a reference.
        package init(code: String, version: String?) {
            self.code = code
            self.version = version
        }
    }

    /// v3 hardware: `coreType` is an object.
    package struct Hardware: Encodable, Hashable, Sendable {
        /// `{"code": …}`.
        package var coreType: CoreTypeReference
        /// Cores per slot.
        package var coresPerSlot: Int
        /// Omitted when 0.
        package var slots: Int?
        /// Whole hours, at least 1.
        package var walltime: Int?

        /// Creates hardware.
        package init(coreType: CoreTypeReference, coresPerSlot: Int, slots: Int?, walltime: Int?) {
            self.coreType = coreType
            self.coresPerSlot = coresPerSlot
            self.slots = slots
            self.walltime = walltime
        }
    }

    /// `{"code": …}`.
    package struct CoreTypeReference: Encodable, Hashable, Sendable {
        /// The core type code.
        package var code: String

        /// Creates a reference.
        package init(code: String) { self.code = code }
    }

    /// `{"id", "decompress"}`.
    package struct InputFile: Encodable, Hashable, Sendable {
        /// The file id.
        package var id: String
        /// Whether the platform unpacks it.
        package var decompress: Bool

        /// Creates an input reference.
        package init(id: String, decompress: Bool) {
            self.id = id
            self.decompress = decompress
        }
    }
}

/// `{"automation": {"id"}, "environmentVariables": {}}`.
package struct JobAutomation: Encodable, Hashable, Sendable {
    /// `{"id": …}`.
    package var automation: [String: String]
    /// Always present, even empty.
    package var environmentVariables: [String: String]

    /// Creates an entry for an automation id.
    package init(id: String, environmentVariables: [String: String] = [:]) {
        automation = ["id": id]
        self.environmentVariables = environmentVariables
    }
}

/// A job as create, get and list return it.
package struct JobRecord: Decodable, Hashable, Sendable {
    /// The job id.
    package var id: String
    /// The name.
    package var name: String?
    /// When created.
    package var dateInserted: String?
    /// List items only: the current status.
    package var jobStatus: JobStatusSummary?

    /// `{content, statusReason}`.
    package struct JobStatusSummary: Decodable, Hashable, Sendable {
        /// The status text.
        package var content: String?
        /// The reason.
        package var statusReason: String?
    }
}

/// One entry of `GET /api/v3/jobs/{id}/statuses/`, newest first.
package struct JobStatusEntry: Codable, Hashable, Sendable {
    /// The status text, such as `Executing` or `Completed`.
    package var status: String
    /// Why (may be missing).
    package var statusReason: String?
    /// When.
    package var statusDate: String?

    /// Creates an entry.
    package init(status: String, statusReason: String? = nil, statusDate: String? = nil) {
        self.status = status
        self.statusReason = statusReason
        self.statusDate = statusDate
    }
}

/// `{"name"}` for tag calls.
package struct TagBody: Codable, Hashable, Sendable {
    /// The tag.
    package var name: String
}

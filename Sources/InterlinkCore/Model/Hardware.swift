/// The compute a job asks for.
package struct HardwareSpec: Hashable, Sendable, Codable {
    /// The most cores one slot may ask for: no machine a platform offers has more in one node.
    package static let maximumCoresPerSlot = 1024
    /// The most slots (nodes) one job may ask for.
    package static let maximumSlots = 10_000

    /// The Rescale core type code, such as `emerald`.
    package var coreType: String
    /// Cores in each slot; must be one of the core type's allowed counts on Rescale.
    package var coresPerSlot: Int
    /// Number of slots (task nodes); at least 1.
    package var slots: Int
    /// Maximum run time.
    package var walltime: Walltime

    /// Creates a hardware request.
    package init(coreType: String, coresPerSlot: Int, slots: Int = 1, walltime: Walltime) {
        self.coreType = coreType
        self.coresPerSlot = coresPerSlot
        self.slots = slots
        self.walltime = walltime
    }

    /// Total cores the job uses.
    package var totalCores: Int { coresPerSlot * max(slots, 1) }
}

/// The software a job runs.
package struct AnalysisSpec: Hashable, Sendable, Codable {
    /// The Rescale analysis code, such as `user_included` or `openfoam`.
    package var code: String
    /// A display version (`CPU`) or version code (`0`); nil means the platform's latest.
    package var version: String?

    /// Creates an analysis reference.
    package init(code: String, version: String? = nil) {
        self.code = code
        self.version = version
    }
}

/// How a job obtains licenses.
package struct LicenseSpec: Hashable, Sendable, Codable {
    /// Whether to use Rescale-provided licenses.
    package var useRescaleLicense: Bool
    /// An on-demand license seller code, sent as `onDemandLicenseSeller`.
    package var onDemandSeller: String?
    /// Raw `userDefinedLicenseSettings` JSON text, as a script directive gives it.
    package var userDefinedSettings: String?

    /// Creates license settings.
    package init(useRescaleLicense: Bool = false, onDemandSeller: String? = nil, userDefinedSettings: String? = nil) {
        self.useRescaleLicense = useRescaleLicense
        self.onDemandSeller = onDemandSeller
        self.userDefinedSettings = userDefinedSettings
    }
}

/// Whether a job is submitted after it is created.
package enum SubmitMode: String, Hashable, Sendable, Codable, CaseIterable {
    /// Create the job and submit it (the default).
    case submit
    /// Create the job as a draft and do not submit it.
    case createOnly = "create-only"
}

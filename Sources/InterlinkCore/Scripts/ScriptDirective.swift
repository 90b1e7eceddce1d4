/// The `#RESCALE_` directives (and `#USE_RESCALE_LICENSE`) a job script may use.
package enum ScriptDirective: String, Hashable, Sendable, CaseIterable {
    case name = "#RESCALE_NAME"
    case command = "#RESCALE_COMMAND"
    case analysis = "#RESCALE_ANALYSIS"
    case analysisVersion = "#RESCALE_ANALYSIS_VERSION"
    case cores = "#RESCALE_CORES"
    case coresPerSlot = "#RESCALE_CORES_PER_SLOT"
    case slots = "#RESCALE_SLOTS"
    case walltime = "#RESCALE_WALLTIME"
    case tags = "#RESCALE_TAGS"
    case projectID = "#RESCALE_PROJECT_ID"
    case inboundSSHCIDR = "#RESCALE_INBOUND_SSH_CIDR"
    case publicKey = "#RESCALE_PUBLIC_KEY"
    case useRescaleLicense = "#USE_RESCALE_LICENSE"
    case userDefinedLicenseSettings = "#RESCALE_USER_DEFINED_LICENSE_SETTINGS"
    case automation = "#RESCALE_AUTOMATION"

    /// The prefix of `#RESCALE_ENV_<NAME> value`.
    package static let environmentPrefix = "#RESCALE_ENV_"

    /// Every directive name, for suggestions (the environment form as `#RESCALE_ENV_<NAME>`).
    package static var names: [String] { allCases.map(\.rawValue) + ["#RESCALE_ENV_<NAME>"] }

    /// Whether `token` looks like a directive that was meant (case-insensitively a `#RESCALE_` or
    /// `#USE_RESCALE_LICENSE` token).
    package static func looksLikeDirective(_ token: String) -> Bool {
        let upper = token.uppercased()
        return upper.hasPrefix("#RESCALE_") || upper == useRescaleLicense.rawValue
    }
}

import InterlinkCore

extension ConfigurationError: UserFacingError {
    /// The Rescale configuration is unusable (78).
    package var exitStatus: ExitStatus { .configuration }
    /// The message names the file when there is one.
    package var location: SourceLocation? { nil }
}

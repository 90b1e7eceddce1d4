import InterlinkCore

/// The platform a plan runs on, with the background services it needs while the run lasts.
package struct PlatformChoice: Sendable {
    /// The platform.
    package var platform: any Platform
    /// Work to run beside the engine (cancelled when it returns).
    package var services: [@Sendable () async throws -> Void]

    /// The platform for a plan: the embedded local platform (state under `<base>/.interlink/local`), or Rescale.
    ///
    /// - Throws: ``CommandFailure`` (exit 69) when the platform is not available.
    package static func make(for plan: Plan) throws(CommandFailure) -> PlatformChoice {
        throw CommandFailure(
            [.error("platform '\(plan.platform.rawValue)' is not available yet", help: "use 'platform: local'")],
            exitCode: 69
        )
    }
}

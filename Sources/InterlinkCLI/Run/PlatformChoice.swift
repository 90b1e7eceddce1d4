import Foundation
import InterlinkCore
import InterlinkEngine
import LocalCloud
import LocalPlatform

/// The platform a plan runs on, with the background services it needs while the run lasts.
package struct PlatformChoice: Sendable {
    /// The platform.
    package var platform: any Platform
    /// Work to run beside the engine (cancelled when it returns).
    package var services: [@Sendable () async throws -> Void]
    /// The exclusive lock on the platform's state, held while the run lasts; nil when there is none to hold.
    package var lock: JournalLock?

    /// The embedded platform's state directory: `<base>/.interlink/local`.
    package static func localRoot(baseDirectory: String) -> String {
        PathName.join(PathName.join(baseDirectory, ".interlink"), "local")
    }

    /// The platform for a plan: the embedded local platform, whose cloud lives in `<base>/.interlink/local` and
    /// whose job executor runs as a service beside the engine.
    ///
    /// - Throws: ``CommandFailure``: exit 69 for `platform: rescale` (not available yet), 74 when the local
    ///   cloud's directory cannot be used.
    package static func make(for plan: Plan, localCores: Int? = nil) throws(CommandFailure) -> PlatformChoice {
        switch plan.platform {
        case .rescale:
            throw CommandFailure(
                [
                    .error(
                        "platform 'rescale' is not available yet",
                        help: "remove 'platform: rescale' to run on this machine, or wait for the Rescale platform"
                    )
                ],
                exitCode: 69
            )
        case .local:
            let root = localRoot(baseDirectory: plan.baseDirectory)
            // One runner at a time per local cloud: a second one's executor would restart (kill) the first one's
            // running jobs as orphans. The lock is taken before the cloud is opened, and held until the run ends.
            let lock: JournalLock
            do {
                try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
                lock = try JournalLock(path: PathName.join(root, "lock"))
            } catch let error as JournalError {
                throw CommandFailure.journal(error)
            } catch {
                throw CommandFailure([.error("cannot create '\(root)': \(error.localizedDescription)")], exitCode: 74)
            }
            let cloud: LocalCloud
            do {
                cloud = try LocalCloud(root: root, cores: localCores ?? ProcessInfo.processInfo.activeProcessorCount)
            } catch {
                lock.release()
                throw CommandFailure([.error("cannot open the local platform in '\(root)': \(error)")], exitCode: 74)
            }
            return PlatformChoice(
                platform: LocalPlatform(cloud: cloud),
                services: [{ try await cloud.serve() }],
                lock: lock
            )
        }
    }
}

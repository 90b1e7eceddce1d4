import AsyncHTTPClient
import Foundation
import InterlinkCore
import InterlinkEngine
import InterlinkSystem
import LocalCloud
import LocalPlatform
import Logging
import RescaleAPI
import RescalePlatform

/// The platform a plan runs on, with the background services it needs while the run lasts.
package struct PlatformChoice: Sendable {
    /// The platform.
    package var platform: any Platform
    /// Work to run beside the engine (cancelled when it returns).
    package var services: [@Sendable () async throws -> Void]
    /// The exclusive lock on the platform's state, held while the run lasts; nil when there is none to hold.
    package var lock: JournalLock?
    /// Releases what the platform holds (the lock, the HTTP client); called once when the run ends.
    package var close: @Sendable () async -> Void
    /// Messages for the user from the platform's client (retries while the platform is unreachable).
    package var notices = PlatformNotices()

    /// The embedded platform's state directory: `<base>/.interlink/local`.
    package static func localRoot(baseDirectory: String) -> String {
        PathName.join(PathName.join(baseDirectory, ".interlink"), "local")
    }

    /// The platform for a plan.
    ///
    /// - `local`: the embedded platform, whose cloud lives in `<base>/.interlink/local` and whose job executor runs
    ///   as a service beside the engine.
    /// - `rescale`: the Rescale API at the resolved profile's URL (`RESCALE_API_URL`, `RESCALE_API_KEY`,
    ///   `--profile`), with one HTTP client for the API and storage.
    ///
    /// - Parameters:
    ///   - plan: The plan (its `platform` decides).
    ///   - localCores: Cores for the local platform's jobs.
    ///   - connection: The Rescale profile and host flags.
    ///   - environment: The process environment.
    ///   - logger: Where the platform logs (API retries, 429 waits, storage attempts, lock decisions).
    /// - Throws: ``CommandFailure``: exit 78 for a Rescale configuration problem (no key, a key file others can
    ///   read, a refused host), 74 when the local cloud's directory cannot be used, 75 when it is in use.
    /// - Returns: The chosen platform, ready for the run.
    package static func make(
        for plan: Plan,
        localCores: Int? = nil,
        connection: ConnectionOptions = ConnectionOptions(),
        environment: [String: String] = ProcessInfo.processInfo.environment,
        logger: Logger = Logger(label: "rescale-int")
    ) async throws(CommandFailure) -> PlatformChoice {
        switch plan.platform {
        case .rescale:
            return try await rescale(connection: connection, environment: environment, logger: logger)
        case .local:
            return try local(baseDirectory: plan.baseDirectory, cores: localCores, logger: logger)
        }
    }

    private static func local(baseDirectory: String, cores: Int?, logger: Logger) throws(CommandFailure)
        -> PlatformChoice
    {
        let root = localRoot(baseDirectory: baseDirectory)
        // One runner at a time per local cloud: a second one's executor would restart (kill) the first one's
        // running jobs as orphans. The lock is taken before the cloud is opened, and held until the run ends.
        let lock: JournalLock
        do {
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            lock = try JournalLock(path: PathName.join(root, "lock"))
        } catch let error as JournalError {
            logger.debug(
                "local.lock.refused",
                metadata: ["lock.path": "\(error.path)", "lock.error": "\(error.message)"]
            )
            throw CommandFailure(error)
        } catch {
            throw CommandFailure([.error("cannot create '\(root)': \(error.localizedDescription)")], status: .ioError)
        }
        logger.debug("local.lock.acquired", metadata: ["lock.path": "\(lock.path)"])
        let cloud: LocalCloud
        do {
            cloud = try LocalCloud(root: root, cores: cores ?? ProcessInfo.processInfo.activeProcessorCount)
        } catch {
            lock.release()
            throw CommandFailure([.error("cannot open the local platform in '\(root)': \(error)")], status: .ioError)
        }
        return PlatformChoice(
            platform: LocalPlatform(cloud: cloud, fileSystem: LocalFileSystem()),
            services: [{ try await cloud.serve() }],
            lock: lock,
            close: { lock.release() }
        )
    }

    private static func rescale(
        connection: ConnectionOptions,
        environment: [String: String],
        logger: Logger
    ) async throws(CommandFailure) -> PlatformChoice {
        let resolved: RescaleConfiguration
        do {
            resolved = try RescaleConfiguration.resolve(
                profile: connection.profile,
                insecureHostFlag: connection.insecureApiHost,
                environment: environment
            )
        } catch {
            throw CommandFailure(error)
        }
        let http = HTTPClient(
            eventLoopGroup: HTTPClient.defaultEventLoopGroup,
            configuration: HTTPClientFactory.configuration(environment: environment)
        )
        let notices = PlatformNotices()
        var options: RescaleAPIClient.Options
        do { options = try apiOptions(environment: environment) } catch {
            try? await http.shutdown()
            throw error
        }
        options.onRetry = { notices.post($0.description) }
        let api: RescaleAPIClient
        do {
            api = try RescaleAPIClient(
                baseURL: resolved.platform.description,
                key: resolved.key,
                allowInsecureHost: resolved.allowInsecureHost,
                http: http,
                limiter: RateLimiter(),
                options: options,
                logger: logger
            )
        } catch {
            try? await http.shutdown()
            throw CommandFailure(error)
        }
        let platform = RescalePlatform(
            api: api,
            http: http,
            options: RescalePlatformOptions(environment: environment),
            fileSystem: LocalFileSystem(),
            logger: logger
        )
        return PlatformChoice(
            platform: platform,
            services: [],
            lock: nil,
            close: { try? await http.shutdown() },
            notices: notices
        )
    }

    /// The API client's retry schedule, shortened by `INTERLINK_API_RETRY_ATTEMPTS` (attempts per call, the first
    /// included) and `INTERLINK_API_RETRY_BASE` (the first backoff step, as `0.2`, `200ms` or `1s`; the cap is 30
    /// of them) for tests and impatient users.
    ///
    /// - Throws: ``CommandFailure`` (64) for a value that is not a number in range.
    static func apiOptions(environment: [String: String]) throws(CommandFailure) -> RescaleAPIClient.Options {
        var options = RescaleAPIClient.Options()
        if let text = environment["INTERLINK_API_RETRY_ATTEMPTS"] {
            guard let attempts = Int(text), (1...100).contains(attempts) else {
                throw .usage(
                    "INTERLINK_API_RETRY_ATTEMPTS must be a whole number from 1 to 100, not '\(text)'",
                    help: "unset it for the default of \(options.maxAttempts)"
                )
            }
            options.maxAttempts = attempts
        }
        if let text = environment["INTERLINK_API_RETRY_BASE"] {
            guard let seconds = DurationText.seconds(text), seconds > 0, seconds <= 60 else {
                throw .usage(
                    "INTERLINK_API_RETRY_BASE must be a duration from 1ms to 60s, such as 200ms, not '\(text)'",
                    help: "unset it for the default of 1s"
                )
            }
            options.baseBackoff = .milliseconds(Int64((seconds * 1000).rounded(.up)))
            options.maxBackoff = options.baseBackoff * 30
        }
        return options
    }
}

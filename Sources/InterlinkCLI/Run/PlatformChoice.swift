import Foundation
import InterlinkCore
import InterlinkEngine
import InterlinkHTTP
import InterlinkSystem
import LocalCloud
import LocalPlatform
import Logging
import RescaleAPI
import RescalePlatform
import SlurmPlatform

/// The platform a plan runs on, with the background services it needs while the run lasts.
package struct PlatformChoice: Sendable {
    /// The platform.
    package var platform: any Platform
    /// Work to run beside the engine (cancelled when it returns).
    package var services: [@Sendable () async throws -> Void]
    /// Releases what the platform holds (the HTTP client); called once when the run ends.
    package var close: @Sendable () async -> Void
    /// Checks a plan against the platform before anything is uploaded and returns the plan to run (Rescale: each
    /// version sent as its `versionCode`; core types and cores per slot checked against the catalogue).
    package var preflight: @Sendable (Plan) async throws(CommandFailure) -> Plan = { $0 }
    /// Messages for the user from the platform's client (retries while the platform is unreachable).
    package var notices = PlatformNotices()

    /// The embedded platform's state directory: `<base>/.interlink/local`.
    package static func localRoot(baseDirectory: String) -> String {
        PathName.join(PathName.join(baseDirectory, ".interlink"), "local")
    }

    /// The platform for a plan.
    ///
    /// - `local`: the embedded platform, whose cloud lives in `<base>/.interlink/local` and whose job executor runs
    ///   as a service beside the engine. Several runs (of different workflows) may use it at once: each run has
    ///   its own lock (the journal's), and the cloud's records are safe under concurrent writers.
    /// - `rescale`: the Rescale API at the resolved profile's URL (`RESCALE_API_URL`, `RESCALE_API_KEY`,
    ///   `--profile`), with one HTTP client for the API and storage.
    ///
    /// - Parameters:
    ///   - plan: The plan (its `platform` decides).
    ///   - localCores: Cores for the local platform's jobs.
    ///   - keepWork: Whether the local platform keeps jobs' work directories after storing their outputs.
    ///   - connection: The Rescale profile and host flags.
    ///   - environment: The process environment.
    ///   - logger: Where the platform logs (API retries, 429 waits, storage attempts, lock decisions).
    /// - Throws: ``CommandFailure``: exit 78 for a Rescale configuration problem (no key, a key file others can
    ///   read, a refused host), 74 when the local cloud's directory cannot be used.
    /// - Returns: The chosen platform, ready for the run.
    package static func make(
        for plan: Plan,
        localCores: Int? = nil,
        keepWork: Bool = false,
        connection: ConnectionOptions = ConnectionOptions(),
        environment: [String: String] = CommandContext.current.environment(),
        logger: Logger = Logger(label: "rescale-int")
    ) async throws(CommandFailure) -> PlatformChoice {
        switch plan.platform {
        case .rescale:
            return try await rescale(connection: connection, environment: environment, logger: logger)
        case .local:
            return try local(baseDirectory: plan.baseDirectory, cores: localCores, keepWork: keepWork, logger: logger)
        case .slurm:
            return try await slurm(for: plan, environment: environment, logger: logger)
        }
    }

    /// The default Slurm work root: `<base>/.interlink/slurm`, beside the workflow's runs.
    package static func slurmRoot(for plan: Plan) -> String {
        guard let root = plan.slurm?.workRoot, !root.isEmpty else {
            return PathName.join(PathName.join(plan.baseDirectory, ".interlink"), "slurm")
        }
        return root.hasPrefix("/") ? root : PathName.join(plan.baseDirectory, root)
    }

    /// The Slurm platform, after checking that the client commands are on PATH and the controller answers.
    ///
    /// - Throws: ``CommandFailure`` with exit 69 naming what to check.
    private static func slurm(for plan: Plan, environment: [String: String], logger: Logger)
        async throws(CommandFailure)
        -> PlatformChoice
    {
        let settings = plan.slurm ?? SlurmSettings()
        let configuration = SlurmConfiguration(
            settings: settings,
            workRoot: slurmRoot(for: plan),
            environment: environment,
            submitTimeout: try slurmSubmitTimeout(environment: environment),
            // A create or submit holds one of the run's API permits from before its intent is journaled, so at
            // most that many submissions wait at the pace; with arrays a submission holds none (a sweep's jobs
            // wait together), so every job of the plan may be queued ahead.
            concurrentSubmissions: plan.settings.workers.api + (settings.sendsArrays ? plan.nodes.count : 0)
        )
        let client = SlurmClient(environment: environment)
        let missing = client.missingTools
        guard missing.isEmpty else {
            throw CommandFailure(
                [
                    .error(
                        "the Slurm client commands \(missing.map { "'\($0)'" }.joined(separator: ", ")) are not on PATH",
                        help: "install them (Debian: apt-get install slurm-client) or add their directory to PATH"
                    )
                ],
                status: .unavailable
            )
        }
        let ping = await client.ping()
        guard ping.isUp else {
            let conf =
                environment["SLURM_CONF"].map { "SLURM_CONF='\($0)'" } ?? "SLURM_CONF (unset: /etc/slurm/slurm.conf)"
            throw CommandFailure(
                [
                    .error(
                        "the Slurm controller does not answer: \(ping.detail)",
                        help: "check that slurmctld runs and that \(conf) names the cluster's slurm.conf "
                            + "(try 'scontrol ping'); scripts/slurm-cluster starts a single-node cluster"
                    )
                ],
                status: .unavailable
            )
        }
        logger.debug("slurm.platform.opened", metadata: ["slurm.work_root": "\(configuration.workRoot)"])
        return PlatformChoice(
            platform: SlurmPlatform(configuration: configuration, fileSystem: LocalFileSystem(), logger: logger),
            services: [],
            close: {}
        )
    }

    /// The deadline of one `sbatch`: 10 s, or `INTERLINK_SLURM_SUBMIT_TIMEOUT` (a duration such as `2s`) for tests
    /// and impatient users; a resumed run waits it out before it concludes that a cut-short submission never
    /// happened.
    ///
    /// - Throws: ``CommandFailure`` (64) for a value that is not a duration from 1 s to 60 s.
    static func slurmSubmitTimeout(environment: [String: String]) throws(CommandFailure) -> Duration {
        guard let text = environment["INTERLINK_SLURM_SUBMIT_TIMEOUT"] else { return .seconds(10) }
        guard let seconds = DurationText.seconds(text), seconds >= 1, seconds <= 60 else {
            throw .usage(
                "INTERLINK_SLURM_SUBMIT_TIMEOUT must be a duration from 1s to 60s, such as 2s, not '\(text)'",
                help: "unset it for the default of 10s"
            )
        }
        return .milliseconds(Int64((seconds * 1000).rounded(.up)))
    }

    private static func local(baseDirectory: String, cores: Int?, keepWork: Bool, logger: Logger)
        throws(CommandFailure) -> PlatformChoice
    {
        let root = localRoot(baseDirectory: baseDirectory)
        // A root that cannot be made fails now; the cloud itself (its records) is read at the first call that
        // needs it, so a run whose jobs are all done never reads it.
        do {
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        } catch {
            throw CommandFailure(
                [.error("cannot open the local platform in '\(root)': \(ErrorText.describe(error))")],
                status: .ioError
            )
        }
        let cores = cores ?? ProcessInfo.processInfo.activeProcessorCount
        let opener = LocalCloudOpener { () throws(LocalCloudError) in
            let cloud = try LocalCloud(root: root, cores: cores, keepsWork: keepWork)
            logger.debug(
                "local.platform.opened",
                metadata: ["local.root": "\(root)", "local.keep_work": "\(keepWork)"]
            )
            return cloud
        }
        return PlatformChoice(
            platform: LazyLocalPlatform(opener: opener, fileSystem: LocalFileSystem()),
            // The cloud runs jobs once a call opened it; a run that never opens it ends without it.
            services: [
                {
                    guard case .success(let cloud)? = await opener.opened() else { return }
                    try await cloud.serve()
                }
            ],
            close: {},
            preflight: { plan throws(CommandFailure) in
                let missing: [Diagnostic]
                do {
                    missing = try await ExistingFileCheck.missing(
                        in: plan,
                        currentDirectory: FileManager.default.currentDirectoryPath
                    ) { id in
                        let cloud = try await opener.cloud()
                        do {
                            _ = try await cloud.file(FileID(id))
                            return true
                        } catch let error as LocalCloudError {
                            if case .notFound = error { return false }
                            throw error
                        }
                    }
                } catch {
                    throw CommandFailure(
                        [.error("cannot read the local platform's files: \(ErrorText.describe(error))")],
                        status: .ioError
                    )
                }
                guard missing.isEmpty else { throw CommandFailure(missing, status: .invalidInput) }
                return plan
            }
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
        ProcessRedactor.add(resolved.key.reveal())
        let http = HTTPClient(configuration: HTTPClientFactory.configuration(environment: environment))
        let notices = PlatformNotices()
        var options: RescaleAPIClient.Options
        let platformOptions: RescalePlatformOptions
        do {
            options = try apiOptions(environment: environment)
            platformOptions = try Self.platformOptions(environment: environment)
        } catch {
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
            options: platformOptions,
            fileSystem: LocalFileSystem(),
            logger: logger
        )
        return PlatformChoice(
            platform: platform,
            services: [],
            close: { try? await http.shutdown() },
            preflight: { plan throws(CommandFailure) in
                do {
                    let resolved = try await platform.resolveAnalyses(in: plan)
                    let missing = try await ExistingFileCheck.missing(
                        in: resolved,
                        currentDirectory: FileManager.default.currentDirectoryPath
                    ) { try await platform.hasFile(id: $0) }
                    guard missing.isEmpty else { throw CommandFailure(missing, status: .invalidInput) }
                    return resolved
                } catch let error as CommandFailure {
                    throw error
                } catch let error as AnalysisCheckError {
                    throw CommandFailure(error)
                } catch let error as PlatformError where error.retryClass == .credential {
                    // A refused key is the run's to report (with the command that continues it once fixed); its
                    // first request fails the same way, before anything is uploaded.
                    logger.debug("rescale.catalog.skipped", metadata: ["rescale.error": "\(error.message)"])
                    return plan
                } catch let error as PlatformError where error.isTransport {
                    // Unreachable: the same one message and help line as any other call to the platform.
                    throw CommandFailure(error)
                } catch let error as PlatformError {
                    throw CommandFailure(
                        [
                            .error(
                                "cannot read the platform's analyses and core types: \(error.message)",
                                help: error.suggestion ?? "check the platform and the network, then run again"
                            )
                        ],
                        status: .unavailable
                    )
                } catch {
                    throw CommandFailure(
                        [.error("cannot check the plan against the platform: \(error)")],
                        status: .unavailable
                    )
                }
            },
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

    /// The platform's options from the environment, refusing an `AWS_REQUEST_CHECKSUM_CALCULATION` it cannot read
    /// (rather than uploading with or without checksums against what was asked).
    static func platformOptions(environment: [String: String]) throws(CommandFailure) -> RescalePlatformOptions {
        let name = RescalePlatformOptions.checksumCalculationVariable
        if let text = environment[name], !text.isEmpty,
            RescalePlatformOptions.partChecksums(environment: environment) == nil
        {
            throw .usage(
                "\(name) must be when_supported or when_required, not '\(text)'",
                help: "when_required sends S3 uploads without part checksums; unset it for the default, when_supported"
            )
        }
        return RescalePlatformOptions(environment: environment)
    }
}

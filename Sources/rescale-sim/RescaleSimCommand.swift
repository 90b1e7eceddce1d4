import ArgumentParser
import Foundation
import Logging
import RescaleSim

/// `rescale-sim`: runs the Rescale API and storage emulator on 127.0.0.1 until interrupted.
@main
struct RescaleSimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rescale-sim",
        abstract: "Emulate the Rescale API and its S3 / Azure Blob storage over real HTTP on 127.0.0.1.",
        discussion: """
            The first line on stdout is 'rescale-sim listening on http://127.0.0.1:PORT'. Point the client's API \
            base URL at it; storage endpoints are given in users/me connectionSettings.endpoint and in the \
            credentials response. Control endpoints (JSON): GET /_sim/counts, POST /_sim/faults, \
            DELETE /_sim/faults, POST /_sim/credentials/expire, POST /_sim/throttle.

            Submitted jobs run for real: inputs are decrypted out of the simulator's storage into a work \
            directory, the command runs with /bin/bash -c, and every file it leaves becomes an output, encrypted \
            into storage and listed by GET /api/v2/jobs/{id}/files/. --time-scale shortens queue delays only.

            Fault rules are kind[@text]:nth:action[:count], with kinds such as jobs.create, jobs.submit, \
            files.register, folders.create, folders.contents, credentials, s3.UploadPart, s3.GetObject, \
            azure.PutBlock (a trailing * matches a prefix; @text keeps only requests whose path contains text, \
            counted among themselves) and actions 500, 503, reset, 429[=SECONDS], slow=MS, delay=MS (the request is \
            read whole, then acted on MS later even if the client has gone), expire. A slow or delay hold ends when the \
            emulator stops.

            Examples:
              rescale-sim --port 0 --api-key secret
              rescale-sim --api-key a --api-key b:azure --time-scale 100 --rate-scale 10
              rescale-sim --api-key k --fault jobs.create:1:503 --fault s3.UploadPart:2:reset
              rescale-sim --api-key k --fault s3.GetObject@big.bin:1:slow=4000:50
              rescale-sim --api-key k --external-s3 http://127.0.0.1:5000 --external-s3-bucket sim
            """
    )

    @Option(help: "The port on 127.0.0.1 (0 lets the OS pick).")
    var port = 0

    @Option(
        name: .customLong("api-key"),
        help:
            "An accepted API key, optionally KEY:s3 or KEY:azure for its storage (repeatable; default from RESCALE_SIM_API_KEY)."
    )
    var apiKeys: [String] = []

    @Option(help: "The storage kind of keys given without one: s3 or azure.")
    var storage = "s3"

    @Option(help: "How much faster than real time job statuses advance.")
    var timeScale = 1.0

    @Option(help: "How much faster than the platform's limits rate-limit buckets refill.")
    var rateScale = 1.0

    @Option(help: "Seconds issued storage credentials stay valid.")
    var credentialLifetime = 900

    @Option(help: "The most jobs executing at once.")
    var jobConcurrency = 4

    @Option(help: "Where job work directories are made (default: a temporary directory removed at exit).")
    var workRoot: String?

    @Option(name: .customLong("fault"), help: "A fault rule kind[@text]:nth:action[:count] (repeatable).")
    var faults: [String] = []

    @Option(
        help: "Serve S3 users from this external S3 endpoint (for example moto_server) instead of the built-in one."
    )
    var externalS3: String?

    @Option(help: "The bucket in the external S3 service.")
    var externalS3Bucket = "rescale-sim"

    @Option(help: "Access key and secret for the external S3 service, as KEY:SECRET.")
    var externalS3Credentials = "test:test"

    @Flag(help: "Exit when standard input reaches its end (a harness that dies closes it, so no emulator is left).")
    var exitOnStdinEOF = false

    func validate() throws {
        guard let kind = SimConfiguration.StorageKind(rawValue: storage) else {
            throw ValidationError("--storage must be s3 or azure, not '\(storage)'.")
        }
        _ = kind
        guard jobConcurrency > 0 else { throw ValidationError("--job-concurrency must be at least 1.") }
        guard timeScale > 0, rateScale > 0 else {
            throw ValidationError("--time-scale and --rate-scale must be positive.")
        }
        for rule in faults where FaultRule(parsing: rule) == nil {
            throw ValidationError("--fault '\(rule)' is not kind[@text]:nth:action[:count].")
        }
        if resolvedKeys().isEmpty { throw ValidationError("give --api-key or set RESCALE_SIM_API_KEY.") }
    }

    private func resolvedKeys() -> [String] {
        if !apiKeys.isEmpty { return apiKeys }
        return ProcessInfo.processInfo.environment["RESCALE_SIM_API_KEY"].map { [$0] } ?? []
    }

    func run() async throws {
        let fallback = SimConfiguration.StorageKind(rawValue: storage) ?? .s3
        let users = resolvedKeys().map { entry in
            let parts = entry.split(separator: ":", maxSplits: 1).map(String.init)
            let kind = parts.count == 2 ? SimConfiguration.StorageKind(rawValue: parts[1]) ?? fallback : fallback
            return SimConfiguration.User(apiKey: parts[0], storage: kind)
        }
        var configuration = SimConfiguration(users: users)
        configuration.timeScale = timeScale
        configuration.rateScale = rateScale
        configuration.credentialLifetime = .seconds(credentialLifetime)
        configuration.jobConcurrency = jobConcurrency
        configuration.workRoot = workRoot
        configuration.faults = faults.compactMap(FaultRule.init(parsing:))
        if let externalS3 {
            let secret = externalS3Credentials.split(separator: ":", maxSplits: 1).map(String.init)
            configuration.externalS3 = .init(
                endpoint: externalS3,
                accessKey: secret.first ?? "test",
                secretKey: secret.count > 1 ? secret[1] : "test",
                bucket: externalS3Bucket
            )
        }
        var logger = Logger(label: "rescale-sim")
        logger.logLevel = .warning
        let server = SimServer(configuration: configuration)
        let watchStdin = exitOnStdinEOF
        try await server.run(port: port, logger: logger) { url in
            FileHandle.standardOutput.write(Data("rescale-sim listening on \(url)\n".utf8))
            // Serve until SIGINT or SIGTERM (or, when asked, the end of standard input), then shut down gracefully
            // and exit 0 with nothing on stderr.
            let (stops, stop) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
            if watchStdin { Self.watchStandardInput(stop) }
            await StopSignals.wait(stops, stop)
        }
    }

    /// Yields to `stop` when standard input is at its end, reading (and discarding) it on a thread of its own so
    /// that no cooperative thread blocks; the thread ends with the process.
    static func watchStandardInput(_ stop: AsyncStream<Void>.Continuation) {
        Thread.detachNewThread {
            while !FileHandle.standardInput.availableData.isEmpty {}
            stop.yield()
        }
    }
}

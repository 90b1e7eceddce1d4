import Foundation
import Hummingbird
import Logging
import Synchronization

/// The Rescale emulator: API, S3 and Azure Blob subsets, rate limits, faults and job progression on one port.
package struct SimServer: Sendable {
    /// What it was started with.
    package let configuration: SimConfiguration
    /// API-side records (files, jobs, credentials, counters).
    package let state = SimState()
    /// The built-in S3 objects.
    package let s3: S3Store
    /// The built-in blob service.
    package let blob: BlobServer
    /// Request counts and scripted faults.
    package let faults: FaultInjector
    /// The per-key, per-scope token buckets.
    package let limits: RequestThrottle
    /// The objects behind each storage kind (built-in S3, blobs, or an external S3 service).
    package let objects: SimObjects

    /// Creates a server; nothing listens until ``run(port:logger:_:)``.
    package init(configuration: SimConfiguration) {
        self.configuration = configuration
        s3 = S3Store(buckets: [configuration.bucket])
        blob = BlobServer(account: configuration.azureAccount)
        faults = FaultInjector(rules: configuration.faults)
        limits = RequestThrottle(buckets: configuration.rateLimits, rateScale: configuration.rateScale)
        objects = SimObjects(
            configuration: configuration,
            s3: s3,
            blobs: blob.store,
            logger: Logger(label: "rescale-sim")
        )
    }

    /// Serves while `body` runs, then shuts down.
    ///
    /// - Parameters:
    ///   - port: The port on 127.0.0.1, or 0 for one the OS picks.
    ///   - logger: The server's logger.
    ///   - body: Receives the base URL, `http://127.0.0.1:<port>`.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws, or a bind failure.
    package func run<T: Sendable>(port: Int = 0, logger: Logger, _ body: (String) async throws -> T) async throws -> T {
        try? await blob.store.createContainer(configuration.azureContainer)
        let (submissions, submit) = AsyncStream.makeStream(of: String.self)
        let (ports, portReport) = AsyncStream.makeStream(of: Int.self)
        let control = SimControl(state: state, faults: faults, limits: limits)
        let root = try makeWorkRoot()
        defer { if configuration.workRoot == nil { try? FileManager.default.removeItem(atPath: root) } }
        let responder = SimResponder(
            configuration: configuration,
            api: APIHandler(
                configuration: configuration,
                state: state,
                s3: s3,
                blobs: blob.store,
                objects: objects,
                sas: blob.sas,
                workRoot: root,
                submissions: submit
            ),
            s3: S3Responder(
                store: s3,
                verifier: SigV4Verifier(
                    lookup: { [state] in await state.credential(accessKey: $0) },
                    region: configuration.region
                ),
                maxBodyBytes: configuration.maxBodyBytes
            ),
            blob: BlobResponder(store: blob.store, sas: blob.sas),
            faults: faults,
            limits: limits,
            control: control
        )
        let app = Application(
            responder: responder,
            configuration: .init(address: .hostname("127.0.0.1", port: port)),
            onServerRunning: { channel in
                portReport.yield(channel.localAddress?.port ?? 0)
                portReport.finish()
            },
            logger: logger
        )
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService(gracefulShutdownSignals: []) }
            var iterator = ports.makeAsyncIterator()
            guard let bound = await iterator.next(), bound > 0 else {
                throw BlobError("ServerNotStarted", 500, "the simulator did not report a port")
            }
            let runner = JobRunner(
                configuration: configuration,
                state: state,
                objects: objects,
                origin: "http://127.0.0.1:\(bound)",
                root: root,
                limit: max(1, configuration.jobConcurrency)
            )
            group.addTask { await runner.run(submissions) }
            let result: T
            do {
                result = try await body("http://127.0.0.1:\(bound)")
            } catch {
                submit.finish()
                group.cancelAll()
                while (try? await group.next()) != nil {}
                throw error
            }
            submit.finish()
            group.cancelAll()
            while (try? await group.next()) != nil {}
            return result
        }
    }

    /// The directory jobs run under: the configured one, or a fresh temporary one removed at shutdown.
    private func makeWorkRoot() throws -> String {
        let root =
            configuration.workRoot
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("rescale-sim-\(SimIDs.make(length: 12))")
            .path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        return root
    }
}

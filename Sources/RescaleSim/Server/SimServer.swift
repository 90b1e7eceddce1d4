import Foundation
import Hummingbird
import HummingbirdCore
import InterlinkCore
import Logging
import NIOCore
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

    /// The directory jobs run under and S3 objects are kept in: the configured one, or a fresh temporary one
    /// removed at shutdown.
    package let workRoot: String

    /// Creates a server; nothing listens until ``run(port:logger:_:)``.
    package init(configuration: SimConfiguration) {
        self.configuration = configuration
        workRoot =
            configuration.workRoot
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("rescale-sim-\(SimIDs.make(length: 12))")
            .path
        s3 = S3Store(buckets: [configuration.bucket], directory: workRoot + "/s3")
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
        let control = SimControl(state: state, faults: faults, limits: limits, s3: s3)
        let holds = StopSignal()
        let root = workRoot
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer {
            // The objects live only as long as the store's index: their files go with the server.
            try? FileManager.default.removeItem(atPath: configuration.workRoot == nil ? root : s3.files.directory)
        }
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
                maxBodyBytes: configuration.maxBodyBytes,
                uploadLimit: configuration.s3UploadLimit
            ),
            blob: BlobResponder(store: blob.store, sas: blob.sas),
            faults: faults,
            limits: limits,
            control: control,
            holds: holds
        )
        let server = Server(
            childChannelSetup: HTTP1Channel(responder: { request, writer, channel in
                let context = BasicRequestContext(source: .init(channel: channel, logger: logger))
                var response: Response
                if let rejection = responder.rejectionBeforeBody(request) {
                    response = rejection
                } else {
                    // Hummingbird leaves `Expect: 100-continue` to the application: answer it before the body is
                    // read, as S3 does, so that clients that wait for it (curl, the AWS CLI) do not stall.
                    if request.headers[.expect]?.lowercased() == "100-continue" {
                        try await writer.writeInformationalHead(HTTPResponse(status: .continue))
                    }
                    do {
                        response = try await responder.respond(to: request, context: context)
                    } catch {
                        response = Response(status: .internalServerError, headers: [.contentLength: "0"])
                    }
                }
                response.headers[.date] = BlobDates.rfc1123(Date())
                try await writer.write(response: response.head, body: response.body)
            }),
            configuration: ServerConfiguration(address: .hostname("127.0.0.1", port: port)),
            onServerRunning: { channel in
                portReport.yield(channel.localAddress?.port ?? 0)
                portReport.finish()
            },
            eventLoopGroup: NIOSingletons.posixEventLoopGroup,
            logger: logger
        )
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
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
                await Self.stop(server, submit, holds, &group)
                throw error
            }
            await Self.stop(server, submit, holds, &group)
            return result
        }
    }

    /// Shuts the server down gracefully (idle connections close, requests in flight finish) so that nothing is
    /// cancelled mid-way and logged as an error, then ends the job runner.
    ///
    /// Requests held by a `slow` or `delay` fault are released first: they go on at once, so a test that leaves a
    /// request held for a minute does not wait that minute at the end.
    private static func stop(
        _ server: Server<HTTP1Channel>,
        _ submit: AsyncStream<String>.Continuation,
        _ holds: StopSignal,
        _ group: inout ThrowingTaskGroup<Void, any Error>
    ) async {
        submit.finish()
        holds.requestStop()
        try? await server.shutdownGracefully()
        group.cancelAll()
        while (try? await group.next()) != nil {}
    }
}

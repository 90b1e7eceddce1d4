import Foundation
import Hummingbird
import Logging
import NIOCore

/// The `rescale-int ui` server: Hummingbird on 127.0.0.1 only, the security rules of ``WebGuard`` in front of
/// every route group of `allRouteGroups`, the commands the UI starts, and the journal tail that feeds the
/// event bus.
package struct WebServer: Sendable {
    /// What the handlers need.
    package var services: WebServices
    /// The session (its token goes into the printed URL).
    package var session: WebSession
    /// The port to listen on; 0 lets the system choose.
    package var port: Int
    /// Where the server logs.
    package var logger: Logger

    /// Creates a server.
    ///
    /// - Parameters:
    ///   - services: What the handlers need.
    ///   - session: The session.
    ///   - port: The port (0: any free port).
    ///   - logger: Where the server logs.
    package init(services: WebServices, session: WebSession = WebSession(), port: Int = 0, logger: Logger) {
        self.services = services
        self.session = session
        self.port = port
        self.logger = logger
    }

    /// Serves until `body` returns or the task is cancelled, then interrupts the commands it started and stops.
    ///
    /// - Parameter body: Called once the server listens, with its base URL (`http://127.0.0.1:PORT`) and the
    ///   URL with the one-time token.
    /// - Returns: What `body` returns.
    /// - Throws: ``WebError`` when the server cannot listen, or what `body` throws.
    package func run<T: Sendable>(
        _ body: (_ base: String, _ login: String) async throws -> T
    ) async throws -> T {
        let (ports, portReport) = AsyncStream.makeStream(of: Int.self)
        // The guard needs the bound port, which is known only once the server listens: it reads it from here.
        let bound = BoundPort()
        let router = Router(context: WebContext.self)
        router.add(middleware: WebGuard(session: session, bound: bound))
        for group in allRouteGroups { group.register(on: router, services: services) }
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "rescale-int"),
            onServerRunning: { channel in
                portReport.yield(channel.localAddress?.port ?? 0)
                portReport.finish()
            },
            logger: logger
        )
        let tail = JournalTail(directory: services.directory, events: services.events)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    try await app.runService(gracefulShutdownSignals: [])
                } catch {
                    portReport.finish()
                    throw error
                }
            }
            group.addTask { await services.processes.serve() }
            group.addTask { await tail.follow() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else {
                group.cancelAll()
                throw WebError(
                    .failed("could not listen on 127.0.0.1:\(self.port) (is the port in use?)", platform: false)
                )
            }
            bound.set(port)
            let base = "http://127.0.0.1:\(port)"
            let result: Result<T, any Error>
            do {
                result = .success(try await body(base, "\(base)/?token=\(session.token)"))
            } catch {
                result = .failure(error)
            }
            services.processes.finish()
            services.events.finish()
            group.cancelAll()
            while (try? await group.next()) != nil {}
            return try result.get()
        }
    }
}

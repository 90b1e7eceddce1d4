import Foundation
import Hummingbird
import Logging

/// The fake Azure Blob service: one account, served over HTTP on 127.0.0.1 at a port the OS picks.
package struct BlobServer: Sendable {
    /// The account name in every URL path.
    package var account: String
    /// The base64 account key SAS tokens are signed with.
    package var accountKey: String
    /// The blob data, shared with the caller for seeding and inspection.
    package let store: BlobStore

    /// A well-known development key (any base64 key works).
    package static let developmentKey = Data((0..<64).map { UInt8(truncatingIfNeeded: $0 * 7 + 3) })
        .base64EncodedString()

    /// Creates a server description; nothing listens until ``run(logger:_:)``.
    package init(account: String = "devstoreaccount1", accountKey: String = BlobServer.developmentKey) {
        self.account = account
        self.accountKey = accountKey
        self.store = BlobStore()
    }

    /// The SAS signer for this account.
    package var sas: ServiceSAS { ServiceSAS(account: account, accountKey: accountKey) }

    /// Serves while `body` runs, then shuts down.
    ///
    /// - Parameters:
    ///   - logger: The server's logger.
    ///   - body: Receives the account URL, `http://127.0.0.1:<port>/<account>`.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws, or a bind failure.
    package func run<T: Sendable>(logger: Logger, _ body: (String) async throws -> T) async throws -> T {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            responder: BlobResponder(store: store, sas: sas),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: logger
        )
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService(gracefulShutdownSignals: []) }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else {
                throw BlobError("ServerNotStarted", 500, "the blob server did not report a port")
            }
            let result = try await body("http://127.0.0.1:\(port)/\(account)")
            group.cancelAll()
            while (try? await group.next()) != nil {}
            return result
        }
    }
}

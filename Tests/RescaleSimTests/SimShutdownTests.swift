import Foundation
import InterlinkHTTP
import InterlinkTestSupport
import NIOCore
import RescaleSim
import Testing

/// The emulator's shutdown does not wait out requests held by a `slow` fault: the hold ends when the server stops.
@Suite struct SimShutdownTests {
    @Test(.timeLimit(.minutes(1))) func aRequestHeldByAFaultDoesNotHoldTheShutdown() async throws {
        let key = "shutdown-key-000001"
        let server = SimServer(configuration: SimConfiguration(users: [.init(apiKey: key)]))
        // Held far longer than the test may take.
        server.faults.install(FaultRule(kind: "users.me", action: .slow(milliseconds: 120_000)))
        let client = HTTPClient()
        let (bases, reportBase) = AsyncStream.makeStream(of: String.self)
        let stopped = try await withThrowingTaskGroup(of: Duration?.self) { group in
            group.addTask {
                var bodyEnded = ContinuousClock.now
                try await server.run(logger: quietLogger) { base in
                    reportBase.yield(base)
                    reportBase.finish()
                    while (server.faults.requestCounts["users.me"] ?? 0) == 0 {
                        try await Task.sleep(for: .milliseconds(10))
                    }
                    bodyEnded = ContinuousClock.now
                }
                return ContinuousClock.now - bodyEnded
            }
            group.addTask {
                var iterator = bases.makeAsyncIterator()
                guard let base = await iterator.next() else { return nil }
                var request = HTTPClientRequest(url: base + "/api/v3/users/me/")
                request.headers.add(name: "Authorization", value: "Token \(key)")
                // Whatever the held request gets once the server stops (an answer or a closed connection).
                if let response = try? await client.execute(request, timeout: .seconds(180)) {
                    _ = try? await response.body.collect(upTo: 1 << 20)
                }
                return nil
            }
            var stopped: Duration?
            while let next = try await group.next() {
                if let next { stopped = next }
            }
            return stopped
        }
        try await client.shutdown()
        let shutdown = try #require(stopped)
        #expect(shutdown < .seconds(10), "the shutdown waited for the held request: \(shutdown)")
    }
}

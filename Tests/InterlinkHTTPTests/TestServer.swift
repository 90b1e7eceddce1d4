import Foundation
import InterlinkTestSupport
import Testing

/// The Python server of `Fixtures/server.py`, on 127.0.0.1 and a free port, for one test.
struct TestServer {
    let process: Process
    let input: Pipe
    /// The port it listens on.
    let port: Int

    /// The base URL.
    var base: String { "http://127.0.0.1:\(port)" }

    /// Starts the server (with `--tls cert key` when given) and waits for its port.
    static func start(arguments: [String] = []) async throws -> TestServer {
        let script = try #require(
            Bundle.module.url(forResource: "server", withExtension: "py", subdirectory: "Fixtures")
        )
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path] + arguments
        let output = Pipe()
        let input = Pipe()
        process.standardOutput = output
        process.standardInput = input
        try process.run()
        let reader = output.fileHandleForReading
        let line = await ChildProcess.offPool { () -> String in
            var bytes = Data()
            while !bytes.contains(UInt8(ascii: "\n")) {
                let chunk = reader.availableData
                if chunk.isEmpty { break }
                bytes += chunk
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        guard let match = line.firstMatch(of: /PORT (\d+)/), let port = Int(match.1) else {
            process.terminate()
            throw ServerError(description: "the test server did not start: \(line)")
        }
        return TestServer(process: process, input: input, port: port)
    }

    /// Stops the server and waits for it.
    func stop() async {
        try? input.fileHandleForWriting.close()
        process.terminate()
        await ChildProcess.waitForExit(process)
    }

    /// Runs `body` with a fresh server, stopping it afterwards.
    static func with<T>(
        arguments: [String] = [],
        _ body: (TestServer) async throws -> T
    ) async throws -> T {
        let server = try await start(arguments: arguments)
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }
}

/// A failure of the test harness.
struct ServerError: Error, CustomStringConvertible {
    let description: String
}

import Foundation
import InterlinkCore
import InterlinkHTTP
import InterlinkTestSupport
import RescaleSim
import Synchronization
import Testing

@Suite(.tags(.integration)) struct SimExecutableTests {
    /// The `rescale-sim` binary next to the test bundle (built by `swift build --build-tests`).
    static func binary() throws -> URL {
        var directory = Bundle.module.bundleURL.deletingLastPathComponent()
        for _ in 0..<3 {
            let candidate = directory.appendingPathComponent("rescale-sim")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        throw SimClientError(
            description: "no rescale-sim binary near \(Bundle.module.bundleURL.path); run swift build first"
        )
    }

    @Test(arguments: [SIGTERM, SIGINT])
    func portZeroPrintsTheListeningURLFirstServesTheAPIAndStopsCleanlyOnASignal(signal: Int32) async throws {
        let process = Process()
        process.executableURL = try Self.binary()
        process.arguments = ["--port", "0", "--time-scale", "100"]
        process.environment = ["RESCALE_SIM_API_KEY": "env-key", "PATH": "/usr/bin:/bin"]
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        let received = Mutex<[UInt8]>([])
        stdout.fileHandleForReading.readabilityHandler = { handle in
            let chunk = handle.availableData
            received.withLock { $0 += chunk }
        }
        defer { stdout.fileHandleForReading.readabilityHandler = nil }
        let deadline = ContinuousClock.now + .seconds(30)
        while !received.withLock({ $0.contains(UInt8(ascii: "\n")) }), process.isRunning, ContinuousClock.now < deadline
        {
            try await Task.sleep(for: .milliseconds(20))
        }
        let output = received.withLock { $0 }
        let line = String(decoding: output.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
        let match = try #require(line.wholeMatch(of: /rescale-sim listening on (http:\/\/127\.0\.0\.1:(\d+))/))
        #expect(Int(match.2).map { $0 > 0 } == true)
        var request = HTTPClientRequest(url: String(match.1) + "/api/v3/users/me/")
        request.headers.add(name: "Authorization", value: "Token env-key")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        #expect(response.status.code == 200)
        let body = try await response.body.collect(upTo: 1 << 16)
        #expect(JSONValue.parse(Array(body.readableBytesView))?["defaultStorage"]?["storageType"] == "S3Storage")
        // A keep-alive connection is still open: the graceful shutdown closes it and exits 0 without error lines.
        kill(process.processIdentifier, signal)
        async let errors = ChildProcess.readToEnd(stderr)
        await ChildProcess.waitForExit(process)
        #expect(process.terminationReason == .exit && process.terminationStatus == 0)
        #expect(String(decoding: await errors, as: UTF8.self) == "")
    }

    @Test func helpDescribesTheOptionsWithExamples() async throws {
        let result = try await ChildProcess.run(try Self.binary().path, ["--help"])
        let output = result.stdoutText
        #expect(result.status == 0)
        for expected in [
            "--port", "--api-key", "RESCALE_SIM_API_KEY", "--storage", "--time-scale", "--rate-scale", "--fault",
            "--external-s3", "Examples:", "rescale-sim --port 0 --api-key secret", "rescale-sim listening on",
        ] {
            #expect(output.contains(expected), "help lacks '\(expected)'")
        }
    }
}

import Foundation
import InterlinkTestSupport
import Synchronization
import Testing

/// The `rescale-sim` binary, started for one test on 127.0.0.1 and read over HTTP, the way users drive it.
struct SimProcess {
    /// The API key every test user of the emulator has.
    static let apiKey = "sim-test-key-0123456789"

    /// The base URL it printed.
    let url: String
    let process: Process
    /// The emulator's standard input, held open while the test runs.
    private let keepalive: Pipe

    /// The binary beside `rescale-int`.
    static var binary: String {
        URL(fileURLWithPath: CLIProcess.binary).deletingLastPathComponent().appendingPathComponent("rescale-sim").path
    }

    /// Starts the emulator with `arguments` (plus `--port 0` and the test key) and waits for its first line.
    ///
    /// - Throws: When it does not start or print its URL within 30 s.
    init(_ arguments: [String] = []) async throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments =
            ["--port", "0", "--api-key", Self.apiKey, "--time-scale", "100", "--exit-on-stdin-eof"] + arguments
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        // Never written: when this test process ends, however it ends, the emulator sees the end and exits.
        let stdin = Pipe()
        process.standardInput = stdin
        keepalive = stdin
        let received = Mutex<[UInt8]>([])
        stdout.fileHandleForReading.readabilityHandler = { handle in
            let chunk = handle.availableData
            received.withLock { $0 += chunk }
        }
        try process.run()
        let deadline = ContinuousClock.now + .seconds(30)
        while !received.withLock({ $0.contains(UInt8(ascii: "\n")) }), process.isRunning, ContinuousClock.now < deadline
        {
            try await Task.sleep(for: .milliseconds(20))
        }
        stdout.fileHandleForReading.readabilityHandler = nil
        let line = String(decoding: received.withLock { $0 }.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
        guard let match = line.wholeMatch(of: /rescale-sim listening on (http:\/\/127\.0\.0\.1:\d+)/) else {
            if process.isRunning { process.terminate() }
            throw SimProcessError(description: "rescale-sim did not print its URL; it printed '\(line)'")
        }
        url = String(match.1)
    }

    /// Stops it.
    func stop() async {
        if process.isRunning { process.terminate() }
        await ChildProcess.waitForExit(process)
    }

    /// The environment that points `rescale-int` at this emulator (and at no profile of the machine's user).
    ///
    /// Creates and submits get a 2 s deadline and a 0.5 s settle margin (the emulator answers them in
    /// milliseconds): a run resumed after a kill, or a create whose response was lost, waits at most about 3.5 s
    /// for the request to settle, not 36.
    func environment(configHome: String) -> [String: String] {
        [
            "RESCALE_API_URL": url, "RESCALE_API_KEY": Self.apiKey, "RESCALE_INSECURE_API_HOST": "1",
            "XDG_CONFIG_HOME": configHome, "RESCALE_PROFILE": "", "INTERLINK_REQUEST_TIMEOUT": "2",
            "INTERLINK_REQUEST_SETTLE": "0.5",
        ]
    }

    /// `GET /_sim/counts`: creates, submits and lookups, per job and in total.
    func counts() async throws -> [String: Any] {
        try await json("GET", "/_sim/counts")
    }

    /// Calls a control or API endpoint with curl and decodes its JSON answer.
    func json(_ method: String, _ path: String, body: String? = nil, apiKey: Bool = false) async throws
        -> [String: Any]
    {
        var arguments = ["-sS", "-X", method, url + path]
        if let body { arguments += ["-H", "Content-Type: application/json", "--data", body] }
        if apiKey { arguments += ["-H", "Authorization: Token \(Self.apiKey)"] }
        let result = try await ChildProcess.run("/usr/bin/curl", arguments)
        guard result.status == 0,
            let object = try JSONSerialization.jsonObject(with: result.stdout.isEmpty ? Data("{}".utf8) : result.stdout)
                as? [String: Any]
        else {
            throw SimProcessError(description: "\(method) \(path) failed: \(result.stderrText) \(result.stdoutText)")
        }
        return object
    }
}

/// A failure to start or talk to the emulator.
struct SimProcessError: Error, CustomStringConvertible {
    var description: String
}

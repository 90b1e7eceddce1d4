import Foundation
import InterlinkTestSupport
import Logging
import Testing

@testable import InterlinkStorage

/// A fresh temporary directory.
func makeTemporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("interlink-storage-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Deterministic pseudo-random bytes.
func patternBytes(count: Int, seed: UInt64) -> [UInt8] {
    var state = seed &+ 0x9E37_79B9_7F4A_7C15
    return (0..<count).map { _ in
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return UInt8(truncatingIfNeeded: state)
    }
}

/// Runs a Python script with JSON on stdin and returns its stdout, off the cooperative pool.
func runPython(_ script: URL, arguments: [String] = [], input: Data) async throws -> (
    status: Int32, output: Data, error: String
) {
    let result = try await ChildProcess.run("/usr/bin/env", ["python3", script.path] + arguments, input: input)
    return (result.status, result.stdout, result.stderrText)
}

/// The moto endpoint, or a failure when it is required and missing.
func motoEndpoint() throws -> String? {
    let environment = ProcessInfo.processInfo.environment
    if let endpoint = environment["INTERLINK_TEST_S3_ENDPOINT"], !endpoint.isEmpty { return endpoint }
    if environment["INTERLINK_TEST_NO_MOTO"] == "1" { return nil }
    Issue.record("INTERLINK_TEST_S3_ENDPOINT is not set: run scripts/test, or start moto_server and export it")
    return nil
}

/// A wall clock tests move by hand.
final class ManualWallClock: @unchecked Sendable {
    // Invariant: `date` is only touched under `lock`.
    private let lock = NSLock()
    private var date = Date(timeIntervalSince1970: 1_700_000_000)
    func now() -> Date { lock.withLock { date } }
    func advance(_ seconds: TimeInterval) { lock.withLock { date = date.addingTimeInterval(seconds) } }
}

import Foundation
import InterlinkTestSupport
import Logging
import Testing

@testable import InterlinkStorage

/// Runs a Python script with JSON on stdin and returns its stdout, off the cooperative pool.
func runPython(_ script: URL, arguments: [String] = [], input: Data) async throws -> (
    status: Int32, output: Data, error: String
) {
    let result = try await ChildProcess.run("/usr/bin/env", ["python3", script.path] + arguments, input: input)
    return (result.status, result.stdout, result.stderrText)
}

/// A wall clock tests move by hand.
final class ManualWallClock: @unchecked Sendable {
    // Invariant: `date` is only touched under `lock`.
    private let lock = NSLock()
    private var date = Date(timeIntervalSince1970: 1_700_000_000)
    func now() -> Date { lock.withLock { date } }
    func advance(_ seconds: TimeInterval) { lock.withLock { date = date.addingTimeInterval(seconds) } }
}

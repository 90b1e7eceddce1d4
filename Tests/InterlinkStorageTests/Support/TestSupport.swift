import Foundation
import InterlinkTestSupport
import Logging
import Testing

@testable import InterlinkStorage

extension Tag {
    @Tag static var integration: Self
}

/// A logger that drops everything; tests never bootstrap logging.
let quietLogger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

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

/// The moto endpoint, or a recorded failure when it is missing (tests that need it are disabled when waived).
func motoEndpoint() throws -> String? {
    if let endpoint = MotoServer.endpoint { return endpoint }
    Issue.record(Comment(rawValue: MotoServer.missingMessage))
    return nil
}

/// A clock that never waits: `sleep` advances its time and records the duration.
final class TestClock: Clock, @unchecked Sendable {
    // Invariant: `state` is only touched under `lock`.
    struct Instant: InstantProtocol {
        var offset: Duration
        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (left: Instant, right: Instant) -> Bool { left.offset < right.offset }
    }
    private let lock = NSLock()
    private var current = Instant(offset: .zero)
    private var recorded: [Duration] = []

    var now: Instant { lock.withLock { current } }
    var minimumResolution: Duration { .nanoseconds(1) }
    var sleeps: [Duration] { lock.withLock { recorded } }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        try Task.checkCancellation()
        lock.withLock {
            recorded.append(current.duration(to: deadline))
            if deadline > current { current = deadline }
        }
    }
}

/// A wall clock tests move by hand.
final class ManualWallClock: @unchecked Sendable {
    // Invariant: `date` is only touched under `lock`.
    private let lock = NSLock()
    private var date = Date(timeIntervalSince1970: 1_700_000_000)
    func now() -> Date { lock.withLock { date } }
    func advance(_ seconds: TimeInterval) { lock.withLock { date = date.addingTimeInterval(seconds) } }
}

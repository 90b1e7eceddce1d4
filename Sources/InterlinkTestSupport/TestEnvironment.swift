import Foundation
import Testing

/// A fresh, uniquely named directory under the system's temporary directory.
///
/// - Returns: Its URL.
/// - Throws: What `FileManager` throws when it cannot create it.
package func makeTemporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("interlink-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Deterministic pseudo-random bytes (xorshift), so a failure reproduces.
///
/// - Parameters:
///   - count: How many bytes.
///   - seed: The seed; equal seeds give equal bytes.
/// - Returns: The bytes.
package func patternBytes(count: Int, seed: UInt64) -> [UInt8] {
    var state = seed &+ 0x9E37_79B9_7F4A_7C15
    return (0..<count).map { _ in
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return UInt8(truncatingIfNeeded: state)
    }
}

/// The S3 endpoint of the moto server `scripts/test` starts (`INTERLINK_TEST_S3_ENDPOINT`).
///
/// Tests that call this carry `.disabled(if: MotoServer.isWaived, …)`, so with `INTERLINK_TEST_NO_MOTO=1` they show
/// as skipped and never get here.
///
/// - Returns: The endpoint, or nil after recording a test failure that says how to start one.
package func motoEndpoint() -> String? {
    if let endpoint = MotoServer.endpoint { return endpoint }
    Issue.record(Comment(rawValue: MotoServer.missingMessage))
    return nil
}

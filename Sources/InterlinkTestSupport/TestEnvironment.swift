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
/// - Returns: The endpoint, or nil when the run knowingly goes without (`INTERLINK_TEST_NO_MOTO=1`); when it is
///   neither set nor waived, nil after recording a test failure that says how to start one.
package func motoEndpoint() -> String? {
    let environment = ProcessInfo.processInfo.environment
    if let endpoint = environment["INTERLINK_TEST_S3_ENDPOINT"], !endpoint.isEmpty { return endpoint }
    if environment["INTERLINK_TEST_NO_MOTO"] == "1" { return nil }
    Issue.record("INTERLINK_TEST_S3_ENDPOINT is not set: run scripts/test, or start moto_server and export it")
    return nil
}

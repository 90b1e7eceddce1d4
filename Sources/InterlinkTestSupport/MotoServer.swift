import Foundation

/// The moto_server that `scripts/test` starts for the tests that need a real S3 implementation.
///
/// Such a test is *required*: without `INTERLINK_TEST_S3_ENDPOINT` it fails, unless the run knowingly goes without
/// (`INTERLINK_TEST_NO_MOTO=1`), in which case the test carries a `.disabled(if: MotoServer.isWaived)` trait and
/// shows as skipped, never as passed.
package enum MotoServer {
    /// The endpoint URL (`http://127.0.0.1:PORT`), or nil when none was started.
    package static var endpoint: String? {
        guard let value = ProcessInfo.processInfo.environment["INTERLINK_TEST_S3_ENDPOINT"], !value.isEmpty else {
            return nil
        }
        return value
    }

    /// Whether the tests that need moto are knowingly skipped: no endpoint and `INTERLINK_TEST_NO_MOTO=1`.
    package static var isWaived: Bool {
        endpoint == nil && ProcessInfo.processInfo.environment["INTERLINK_TEST_NO_MOTO"] == "1"
    }

    /// Why a required moto test cannot run, for the failure it records.
    package static let missingMessage =
        "INTERLINK_TEST_S3_ENDPOINT is not set: run scripts/test, or start moto_server and export it "
        + "(or set INTERLINK_TEST_NO_MOTO=1 to skip these tests knowingly)"

    /// The reason the skip trait shows.
    package static let waivedComment = "INTERLINK_TEST_NO_MOTO=1: moto_server tests skipped"
}

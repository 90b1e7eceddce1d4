import Foundation
import Testing

/// `AWS_REQUEST_CHECKSUM_CALCULATION`, the AWS SDKs' own switch, read by `rescale-int` against `rescale-sim` over
/// HTTP: S3 upload parts carry a CRC-32 by default and none with `when_required`; any other value is refused before
/// anything is created.
@Suite(.tags(.integration)) struct RescaleSimChecksumTests {
    static let arguments = RescaleSimRerunTests.arguments
    static let variable = "AWS_REQUEST_CHECKSUM_CALCULATION"

    /// The emulator's count of S3 parts stored with each kind of checksum (`CRC32`, `none`).
    static func partChecksums(_ sim: SimProcess) async throws -> [String: Int] {
        try #require(try await sim.counts()["s3PartChecksums"] as? [String: Int])
    }

    /// Runs pur-basic in a fresh workspace against `sim` with `value` for the variable (nil: unset), and returns
    /// the parts that run added to the emulator's counts and Run_2's result.
    static func run(_ sim: SimProcess, _ value: String?) async throws -> (added: [String: Int], result: String) {
        let workspace = try RunWorkspace(label: "sim-checksums")
        defer { workspace.remove() }
        let directory = workspace.root + "/examples/pur-basic"
        var environment = sim.environment(configHome: workspace.root + "/config")
        environment[variable] = value
        let before = try await partChecksums(sim)
        let run = try await CLIProcess.run(arguments, in: directory, environment: environment)
        try #require(run.status == 0, "\(value ?? "unset"): \(run.stdout)\n\(run.stderr)")
        let after = try await partChecksums(sim)
        let added = after.merging(before.mapValues { -$0 }, uniquingKeysWith: +).filter { $0.value != 0 }
        return (added, RescaleSimRerunTests.result(directory))
    }

    @Test func partsCarryACRC32UnlessWhenRequiredTurnsThemOff() async throws {
        let sim = try await SimProcess()
        let unset = try await Self.run(sim, nil)
        let supported = try await Self.run(sim, "WHEN_SUPPORTED")
        let required = try await Self.run(sim, "when_required")
        await sim.stop()
        // pur-basic uploads three run directories, each as one multipart upload.
        #expect(unset.added.keys.sorted() == ["CRC32"], "\(unset.added)")
        #expect(unset.added["CRC32", default: 0] >= 3, "\(unset.added)")
        #expect(supported.added == unset.added, "\(supported.added)")
        #expect(required.added == ["none": unset.added["CRC32", default: 0]], "\(required.added)")
        for outcome in [unset, supported, required] {
            #expect(outcome.result.contains("sum 30"), "\(outcome.result)")
        }
    }

    @Test func aValueItCannotReadIsAUsageErrorBeforeAnythingIsCreated() async throws {
        let sim = try await SimProcess()
        let workspace = try RunWorkspace(label: "sim-checksum-value")
        defer { workspace.remove() }
        var environment = sim.environment(configHome: workspace.root + "/config")
        environment[Self.variable] = "sometimes"
        let run = try await CLIProcess.run(
            Self.arguments,
            in: workspace.root + "/examples/pur-basic",
            environment: environment
        )
        let counts = try await sim.counts()
        await sim.stop()
        #expect(run.status == 64, "\(run.stdout)\n\(run.stderr)")
        #expect(
            run.stderr.contains(
                "error: AWS_REQUEST_CHECKSUM_CALCULATION must be when_supported or when_required, not 'sometimes'"
            ),
            "\(run.stderr)"
        )
        #expect(run.stderr.contains("help: when_required sends S3 uploads without part checksums"), "\(run.stderr)")
        #expect(counts["creates"] as? Int == 0, "\(counts)")
        #expect((counts["s3PartChecksums"] as? [String: Int])?.isEmpty == true, "\(counts)")
    }
}

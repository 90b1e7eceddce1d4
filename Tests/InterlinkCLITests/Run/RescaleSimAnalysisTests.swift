import Foundation
import InterlinkCore
import InterlinkTestSupport
import Testing

/// Issue 11 item 6: analysis versions are resolved against the platform's catalogue, and jobs the platform would
/// refuse stop the run before anything is uploaded.
@Suite(.tags(.integration)) struct RescaleSimAnalysisTests {
    static let folder = "examples/dag-shared"

    /// A one-job workflow with this analysis version, core type and cores per slot.
    static func workflow(version: String, coreType: String = "emerald", cores: Int = 2) -> String {
        """
        version: 1
        name: analysis
        jobs:
          - name: solve
            analysis: openfoam
            analysis-version: "\(version)"
            core-type: \(coreType)
            cores-per-slot: \(cores)
            inputs: [mesh]
            command: "echo solved > solved.txt"
        """
    }

    /// Runs the workflow on a fresh emulator and returns the result and the emulator's counts.
    static func run(_ workflow: String) async throws -> (
        result: CLIProcess.Result, counts: [String: Any], jobs: [String: Any]
    ) {
        let sim = try await SimProcess()
        let workspace = try RunWorkspace(label: "sim-analysis")
        defer { workspace.remove() }
        try workflow.write(toFile: workspace.root + "/" + folder + "/analysis.yaml", atomically: true, encoding: .utf8)
        let result = try await CLIProcess.run(
            ["run", "analysis.yaml", "--platform", "rescale", "--poll-interval", "0.1", "--quiet"],
            in: workspace.root + "/" + folder,
            environment: sim.environment(configHome: workspace.root + "/config")
        )
        let counts = try await sim.counts()
        let jobs = try await sim.json("GET", "/api/v3/jobs/", apiKey: true)
        await sim.stop()
        return (result, counts, jobs)
    }

    /// Requests of a kind the emulator saw.
    static func requests(_ counts: [String: Any], _ kind: String) -> Int {
        (counts["requests"] as? [String: Int] ?? [:])[kind] ?? 0
    }

    @Test func aDisplayVersionIsSentAsItsVersionCodeWithOneCatalogueRead() async throws {
        let (result, counts, jobs) = try await Self.run(Self.workflow(version: "CPU"))
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        let records = jobs["results"] as? [[String: Any]] ?? []
        #expect(records.count == 1)
        let analysis = (records.first?["jobanalyses"] as? [[String: Any]])?.first?["analysis"] as? [String: Any]
        #expect(analysis?["version"] as? String == "0", "sent \(analysis ?? [:])")
        #expect(Self.requests(counts, "analyses") == 1 && Self.requests(counts, "coretypes") == 1, "\(counts)")
    }

    @Test func aVersionCodeIsSentUnchanged() async throws {
        let (result, _, jobs) = try await Self.run(Self.workflow(version: "v2312", coreType: "onyx", cores: 4))
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        let records = jobs["results"] as? [[String: Any]] ?? []
        let analysis = (records.first?["jobanalyses"] as? [[String: Any]])?.first?["analysis"] as? [String: Any]
        #expect(analysis?["version"] as? String == "v2312")
    }

    @Test(
        arguments: [
            (
                RescaleSimAnalysisTests.workflow(version: "9.9"), "unknown version '9.9' of analysis 'openfoam'",
                "use a version or versionCode the platform lists for it: 'v2312', 'CPU (0)'"
            ),
            (
                RescaleSimAnalysisTests.workflow(version: "CPU", coreType: "onyx"),
                "analysis 'openfoam' version 'CPU' does not run on core type 'onyx'",
                "use one of its core types: 'emerald', 'hpc-3'"
            ),
            (
                RescaleSimAnalysisTests.workflow(version: "v2312", coreType: "emerald", cores: 3),
                "3 cores per slot is not valid for core type 'emerald'", "use one of: 1, 2, 4, 8, 16, 32"
            ),
        ]
    )
    func aJobThePlatformWouldRefuseStopsTheRunBeforeAnyUpload(workflow: String, problem: String, help: String)
        async throws
    {
        let (result, counts, _) = try await Self.run(workflow)
        #expect(result.status == InterlinkCore.ExitStatus.invalidInput.rawValue, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stderr.contains("analysis.yaml:"), "\(result.stderr)")
        #expect(result.stderr.contains("error: job 'solve': \(problem)\n"), "\(result.stderr)")
        #expect(result.stderr.contains("  help: \(help)"), "\(result.stderr)")
        #expect(Self.requests(counts, "credentials") == 0 && Self.requests(counts, "jobs.create") == 0, "\(counts)")
        let uploads = (counts["requests"] as? [String: Int] ?? [:]).filter { $0.key.hasPrefix("s3.") }
        #expect(uploads.isEmpty, "uploaded before the check: \(uploads)")
    }
}

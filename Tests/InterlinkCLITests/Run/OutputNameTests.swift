import Foundation
import InterlinkTestSupport
import Testing

/// Outputs with any legal name, on the local platform and on `rescale-sim` (S3 and Azure): a dot file, a name of
/// 255 bytes, and a name that is not valid UTF-8 are stored and downloaded; none fails the job or is skipped.
@Suite(.tags(.integration)) struct OutputNameTests {
    static let folder = "examples/dag-shared"
    /// 251 bytes and `.txt`: the file system's limit.
    static let longName = String(repeating: "n", count: 251) + ".txt"

    static let workflow = """
        version: 1
        name: names
        jobs:
          - name: names
            inputs: [mesh]
            command: "echo dot > .hidden; echo long > \(longName); echo bad > $'bad\\\\xff.txt'; mkdir -p .d; echo in > .d/x"
        """

    /// Runs the workflow and checks the downloaded names and contents.
    static func check(platform: [String], environment: [String: String] = [:], label: String) async throws {
        let workspace = try RunWorkspace(label: "names-\(label)")
        defer { workspace.remove() }
        let directory = workspace.root + "/" + folder
        try workflow.write(toFile: directory + "/names.yaml", atomically: true, encoding: .utf8)
        let run = try await CLIProcess.run(
            ["run", "names.yaml", "--quiet", "--poll-interval", "0.2"] + platform,
            in: directory,
            environment: environment
        )
        #expect(run.status == 0, "\(label): \(run.stdout)\n\(run.stderr)")
        let results = workspace.results(in: folder)
        #expect(results["names/.hidden"] == "dot\n", "\(label): \(results.keys.sorted())")
        #expect(results["names/\(longName)"] == "long\n", "\(label)")
        #expect(results["names/bad%FF.txt"] == "bad\n", "\(label)")
        #expect(results["names/.d/x"] == "in\n", "\(label)")
        #expect(
            results["names/process_output.log"]?.contains("output 'bad%FF.txt' is stored as 'bad%FF.txt'") == true,
            "\(label): the rename is noted in the job's log"
        )
    }

    @Test func theLocalPlatformStoresAndDownloadsEveryLegalName() async throws {
        try await Self.check(platform: [], label: "local")
    }

    @Test(arguments: ["s3", "azure"])
    func rescaleSimStoresAndDownloadsEveryLegalName(storage: String) async throws {
        let sim = try await SimProcess(["--storage", storage])
        let environment = sim.environment(configHome: NSTemporaryDirectory() + "names-config-\(UUID().uuidString)")
        try await Self.check(platform: ["--platform", "rescale"], environment: environment, label: storage)
        await sim.stop()
    }
}

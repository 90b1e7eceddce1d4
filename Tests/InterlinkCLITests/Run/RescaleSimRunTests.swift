import Foundation
import InterlinkTestSupport
import Testing

/// `rescale-int run --platform rescale` against the `rescale-sim` binary over real HTTP: every shipped workflow, on
/// S3, on Azure, and with the emulator's storage in moto_server, must leave the same outputs as the local platform,
/// with every job created and submitted exactly once.
@Suite(.tags(.integration)) struct RescaleSimRunTests {
    /// The storage behind the emulator's user.
    enum Storage: String, CaseIterable, CustomTestStringConvertible, Sendable {
        case s3, azure, moto
        var testDescription: String { rawValue }
    }

    /// What the local platform leaves for each shipped workflow (in order, in one workspace), and how many jobs
    /// its local clouds created in all.
    static func localResults() async throws -> (results: [String: [String: String]], jobs: Int) {
        let workspace = try RunWorkspace(label: "sim-reference")
        defer { workspace.remove() }
        var results: [String: [String: String]] = [:]
        for path in RunCommandTests.shipped {
            let run = try await CLIProcess.run(["run", path, "--quiet"], in: workspace.root)
            guard run.status == 0 else { throw SimProcessError(description: "local \(path): \(run.stderr)") }
            results[path] = workspace.results(in: (path as NSString).deletingLastPathComponent)
        }
        let folders = Set(RunCommandTests.shipped.map { ($0 as NSString).deletingLastPathComponent })
        let jobs = try folders.reduce(0) { $0 + (try workspace.cloudRecords("jobs", in: $1)).count }
        return (results, jobs)
    }

    /// The emulator's arguments for a storage kind; moto gets a fresh bucket.
    static func simArguments(_ storage: Storage) async throws -> [String]? {
        switch storage {
        case .s3: return ["--storage", "s3"]
        case .azure: return ["--storage", "azure"]
        case .moto:
            guard let endpoint = motoEndpoint() else { return nil }
            let bucket = "sim-run-\(UUID().uuidString.lowercased().prefix(12))"
            let made = try await ChildProcess.run("/usr/bin/curl", ["-sS", "-f", "-X", "PUT", "\(endpoint)/\(bucket)"])
            try #require(made.status == 0, "cannot create the moto bucket: \(made.stderrText)")
            return ["--storage", "s3", "--external-s3", endpoint, "--external-s3-bucket", bucket]
        }
    }

    @Test(arguments: [Storage.s3, .azure])
    func shippedWorkflowsGiveTheLocalOutputsWithEachJobCreatedAndSubmittedOnce(storage: Storage) async throws {
        try await checkShippedWorkflows(on: storage)
    }

    @Test(.disabled(if: MotoServer.isWaived, Comment(rawValue: MotoServer.waivedComment)))
    func shippedWorkflowsGiveTheLocalOutputsThroughAnExternalMotoBucket() async throws {
        try await checkShippedWorkflows(on: .moto)
    }

    /// Runs every shipped workflow on the emulator with `storage` and compares with the local platform's outputs.
    private func checkShippedWorkflows(on storage: Storage) async throws {
        guard let arguments = try await Self.simArguments(storage) else { return }
        let (reference, expectedJobs) = try await Self.localResults()
        let sim = try await SimProcess(arguments)
        let workspace = try RunWorkspace(label: "sim-\(storage.rawValue)")
        defer { workspace.remove() }
        let environment = sim.environment(configHome: workspace.root + "/config")
        for path in RunCommandTests.shipped {
            let run = try await CLIProcess.run(
                ["run", path, "--platform", "rescale", "--poll-interval", "0.2", "--quiet"],
                in: workspace.root,
                environment: environment
            )
            #expect(run.status == 0, "\(storage) \(path): \(run.stdout)\n\(run.stderr)")
            let folder = (path as NSString).deletingLastPathComponent
            #expect(workspace.results(in: folder) == reference[path], "\(storage) \(path): outputs differ from local")
            let again = try await CLIProcess.run(
                ["run", path, "--platform", "rescale", "--quiet"],
                in: workspace.root,
                environment: environment
            )
            #expect(again.stdout.contains("already complete"), "\(storage) \(path): \(again.stdout)")
            #expect(
                !FileManager.default.fileExists(
                    atPath: workspace.root + "/" + folder + "/.interlink/local/records.jsonl"
                )
            )
        }
        let counts = try await sim.counts()
        await sim.stop()
        #expect(counts["creates"] as? Int == expectedJobs, "\(counts)")
        let jobs = try #require(counts["jobs"] as? [String: [String: Any]])
        #expect(jobs.count == expectedJobs)
        #expect(jobs.values.allSatisfy { $0["submits"] as? Int == 1 }, "\(jobs)")
        let perName = try #require(counts["createsByName"] as? [String: Int])
        #expect(perName.values.allSatisfy { $0 == 1 }, "a job name was created twice: \(perName)")
    }

    @Test func aRunStaysOnItsPlatformAndTheKeyNeverReachesTheJournalOrOutput() async throws {
        let sim = try await SimProcess()
        let workspace = try RunWorkspace(label: "sim-platform")
        defer { workspace.remove() }
        let folder = "examples/dag-shared"
        let directory = workspace.root + "/" + folder
        let environment = sim.environment(configHome: workspace.root + "/config")
        let local = try await CLIProcess.run(["run", "workflow.yaml", "--quiet"], in: directory)
        #expect(local.status == 0, "\(local.stderr)")
        let remote = try await CLIProcess.run(
            ["run", "workflow.yaml", "--platform", "rescale", "--poll-interval", "0.2"],
            in: directory,
            environment: environment
        )
        #expect(remote.status == 0, "\(remote.stdout)\n\(remote.stderr)")
        #expect(remote.stderr.contains("starting a new run on 'rescale \(sim.url)'"), "\(remote.stderr)")
        let runs = try FileManager.default.contentsOfDirectory(atPath: directory + "/.interlink/runs")
        #expect(runs.count == 2)
        // Continuing the rescale run with the local platform is refused: its jobs exist only on the emulator.
        let rescaleRun = try #require(
            try runs.first {
                let text = try String(
                    contentsOfFile: directory + "/.interlink/runs/\($0)/journal.jsonl",
                    encoding: .utf8
                )
                return text.contains(#""platform":"rescale "#)
            }
        )
        let wrong = try await CLIProcess.run(
            ["resume", ".interlink/runs/" + rescaleRun, "--platform", "local"],
            in: directory
        )
        #expect(wrong.status == 65, "\(wrong.stderr)")
        #expect(wrong.stderr.contains("this run was started on 'rescale \(sim.url)', not 'local'"), "\(wrong.stderr)")
        var everything = remote.stdout + remote.stderr + wrong.stdout + wrong.stderr
        for run in runs {
            everything += try String(
                contentsOfFile: directory + "/.interlink/runs/\(run)/journal.jsonl",
                encoding: .utf8
            )
        }
        #expect(!everything.contains(SimProcess.apiKey))
        // Without a key the rescale platform is a configuration error with the fix, before anything is written.
        let noKey = try await CLIProcess.run(
            ["run", "../pur-basic/jobs.csv", "--platform", "rescale"],
            in: directory,
            environment: ["RESCALE_API_KEY": "", "XDG_CONFIG_HOME": workspace.root + "/config", "HOME": workspace.root]
        )
        #expect(noKey.status == 78, "\(noKey.stderr)")
        #expect(noKey.stderr.contains("error: no api key for profile 'default'"), "\(noKey.stderr)")
        #expect(noKey.stderr.contains("help: run `rescale-int config init`"), "\(noKey.stderr)")
        #expect(!FileManager.default.fileExists(atPath: workspace.root + "/examples/pur-basic/.interlink"))
        await sim.stop()
    }
}

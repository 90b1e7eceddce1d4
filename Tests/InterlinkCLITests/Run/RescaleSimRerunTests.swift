import Foundation
import Testing

/// Reruns against `rescale-sim` over HTTP: a redone job never adopts the job of its earlier content, changing an
/// input again and again never fails registration, and an archive two jobs name is uploaded and registered once.
@Suite(.tags(.integration)) struct RescaleSimRerunTests {
    static let arguments = ["run", "jobs.csv", "--platform", "rescale", "--poll-interval", "0.1", "--quiet"]

    /// Run_2's result line after a run.
    static func result(_ directory: String) -> String {
        (try? String(contentsOfFile: directory + "/results/Run_2/Run_2/result.txt", encoding: .utf8)) ?? ""
    }

    @Test func aRedoneJobWhoseCreateResponseIsLostCreatesItsOwnJobWithTheNewInputs() async throws {
        let sim = try await SimProcess()
        let workspace = try RunWorkspace(label: "sim-rerun")
        defer { workspace.remove() }
        let directory = workspace.root + "/examples/pur-basic"
        let environment = sim.environment(configHome: workspace.root + "/config")
        let first = try await CLIProcess.run(Self.arguments, in: directory, environment: environment)
        try #require(first.status == 0, "\(first.stdout)\n\(first.stderr)")
        #expect(Self.result(directory).contains("sum 30"), "\(Self.result(directory))")
        try "6\n11\n14\n".write(toFile: directory + "/Run_2/input.txt", atomically: false, encoding: .utf8)
        // The rerun's first create is dropped before the emulator acts on it: the client gets no response.
        _ = try await sim.json("POST", "/_sim/faults", body: #"{"kind": "jobs.create", "nth": 1, "action": "reset"}"#)
        let second = try await CLIProcess.run(Self.arguments, in: directory, environment: environment)
        let counts = try await sim.counts()
        await sim.stop()
        #expect(second.status == 0, "\(second.stdout)\n\(second.stderr)")
        let requests = try #require(counts["requests"] as? [String: Int])
        #expect(requests["jobs.create"] == 5, "\(requests)")
        #expect(requests["jobs.list", default: 0] >= 1, "the lost create was not looked up: \(requests)")
        #expect(counts["creates"] as? Int == 4, "\(counts)")
        let jobs = try #require(counts["jobs"] as? [String: [String: Any]])
        #expect(jobs.values.allSatisfy { $0["submits"] as? Int == 1 }, "a job was submitted twice: \(jobs)")
        #expect(Self.result(directory).contains("sum 31"), "stale result: \(Self.result(directory))")
    }

    @Test func changingTheSameInputTwiceAndRerunningAfterEachNeverFailsRegistration() async throws {
        let sim = try await SimProcess()
        let workspace = try RunWorkspace(label: "sim-twice")
        defer { workspace.remove() }
        let directory = workspace.root + "/examples/pur-basic"
        let environment = sim.environment(configHome: workspace.root + "/config")
        var statuses: [Int32] = []
        for contents in [nil, "6\n11\n14\n", "6\n12\n14\n"] {
            if let contents {
                try contents.write(toFile: directory + "/Run_2/input.txt", atomically: false, encoding: .utf8)
            }
            let run = try await CLIProcess.run(Self.arguments, in: directory, environment: environment)
            #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
            statuses.append(run.status)
        }
        let counts = try await sim.counts()
        await sim.stop()
        #expect(statuses == [0, 0, 0])
        #expect(counts["creates"] as? Int == 5, "\(counts)")
        #expect(Self.result(directory).contains("sum 32"), "stale result: \(Self.result(directory))")
    }

    @Test func anArchiveTwoJobsNameIsUploadedAndRegisteredOnceWithoutAConflictFolder() async throws {
        let reference = try await RescaleSimFaultTests.reference()
        let sim = try await SimProcess()
        let workspace = try RunWorkspace(label: "sim-shared")
        defer { workspace.remove() }
        let folder = "examples/dag-shared"
        let run = try await CLIProcess.run(
            ["run", "workflow.yaml", "--platform", "rescale", "--poll-interval", "0.1", "--quiet"],
            in: workspace.root + "/" + folder,
            environment: sim.environment(configHome: workspace.root + "/config")
        )
        let counts = try await sim.counts()
        await sim.stop()
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        let requests = try #require(counts["requests"] as? [String: Int])
        #expect(requests["files.register"] == 2, "mesh.tar and solver.tar once each: \(requests)")
        #expect(requests["folders.create"] == nil, "a file went to a conflict folder: \(requests)")
        #expect(workspace.results(in: folder) == reference)
    }
}

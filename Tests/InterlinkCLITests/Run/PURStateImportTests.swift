import Foundation
import InterlinkCLI
import Testing

/// `pur run --state` with a state file Interlink wrote, against `rescale-sim` over HTTP: the jobs it records are
/// taken over by their JobID and never created again; a malformed file stops the run before anything is created.
@Suite(.tags(.integration)) struct PURStateImportTests {
    static let header =
        "Index,JobName,Directory,TarPath,TarStatus,FileID,UploadStatus,JobID,SubmitStatus,ExtraFileIDs,ErrorMessage,"
        + "LastUpdated\n"

    static func arguments(_ extra: [String] = [], command: String = "run") -> [String] {
        ["pur", command, "jobs.csv", "--state", "state.csv", "--platform", "rescale", "--poll-interval", "0.1"] + extra
    }

    @Test func aJobInterlinkSubmittedIsAdoptedByItsJobIDAndOnlyTheOthersAreCreated() async throws {
        let sim = try await SimProcess()
        let workspace = try RunWorkspace(label: "pur-state")
        defer { workspace.remove() }
        let directory = workspace.root + "/examples/pur-basic"
        // Interlink's earlier run created and submitted Run_2 on the platform.
        let body = """
            {"name": "Run_2", "jobanalyses": [{"command": "echo adopted > adopted.txt",
             "analysis": {"code": "user_included", "version": "0"},
             "hardware": {"coreType": {"code": "emerald"}, "coresPerSlot": 1, "walltime": 1},
             "useRescaleLicense": false, "onDemandLicenseSeller": null, "userDefinedLicenseSettings": null}],
             "isLowPriority": false}
            """
        let created = try await sim.json("POST", "/api/v3/jobs/", body: body, apiKey: true)
        let jobID = try #require(created["id"] as? String, "\(created)")
        _ = try await sim.json("POST", "/api/v2/jobs/\(jobID)/submit/", apiKey: true)
        let state =
            Self.header
            + "1,Run_1,\(directory)/Run_1,\(directory)/Run_1.tar,pending,,pending,,pending,,,\n"
            + "2,Run_2,\(directory)/Run_2,\(directory)/Run_2.tar,success,Fgone,success,\(jobID),success,,,"
            + "2026-11-25T10:00:05Z\n"
        try state.write(toFile: directory + "/state.csv", atomically: false, encoding: .utf8)
        let environment = sim.environment(configHome: workspace.root + "/config")
        let run = try await CLIProcess.run(Self.arguments(), in: directory, environment: environment)
        let written = try String(contentsOfFile: directory + "/state.csv", encoding: .utf8)
        // The file is now this run's own export: running again leaves it to the journal and finds nothing to do.
        let again = try await CLIProcess.run(Self.arguments(), in: directory, environment: environment)
        let counts = try await sim.counts()
        await sim.stop()
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        #expect(again.status == 0, "\(again.stdout)\n\(again.stderr)")
        #expect(!again.stderr.contains("taking over"), "\(again.stderr)")
        #expect(again.stdout.contains("already complete"), "\(again.stdout)")
        #expect(run.stderr.contains("taking over 1 created jobs"), "\(run.stderr)")
        let requests = try #require(counts["requests"] as? [String: Int])
        #expect(requests["jobs.create"] == 3, "Run_2 was created again: \(requests)")
        #expect(counts["creates"] as? Int == 3, "\(counts)")
        let jobs = try #require(counts["jobs"] as? [String: [String: Any]])
        #expect(jobs.count == 3, "\(jobs)")
        #expect(jobs.values.allSatisfy { $0["submits"] as? Int == 1 }, "a job was submitted twice: \(jobs)")
        let results = workspace.results(in: "examples/pur-basic")
        #expect(results.contains { $0.key.hasPrefix("Run_2/") && $0.value == "adopted\n" }, "\(results.keys)")
        #expect(results.contains { $0.key.hasPrefix("Run_1/") && $0.value.contains("sum") }, "\(results.keys)")
        #expect(written.contains(",Run_2,\(directory)/Run_2,"), "\(written)")
        #expect(written.contains(",\(jobID),success,"), "\(written)")
    }

    @Test func aMalformedStateFileIsALocatedErrorAndNothingIsCreated() async throws {
        let sim = try await SimProcess()
        let workspace = try RunWorkspace(label: "pur-state-bad")
        defer { workspace.remove() }
        let directory = workspace.root + "/examples/pur-basic"
        let state = Self.header + "1,Run_1,\(directory)/Run_1,,done,,pending,,pending,,,\n"
        try state.write(toFile: directory + "/state.csv", atomically: false, encoding: .utf8)
        let run = try await CLIProcess.run(
            Self.arguments(["--quiet"]),
            in: directory,
            environment: sim.environment(configHome: workspace.root + "/config")
        )
        let counts = try await sim.counts()
        await sim.stop()
        #expect(run.status == 65, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stderr.contains("state.csv:2:"), "\(run.stderr)")
        #expect(run.stderr.contains("invalid TarStatus 'done'"), "\(run.stderr)")
        #expect((counts["requests"] as? [String: Int])?["jobs.create"] == nil, "\(counts)")
        #expect(try String(contentsOfFile: directory + "/state.csv", encoding: .utf8) == state)
    }

    @Test func resumeNamesAJobRemovedFromTheCSVAndLeavesItAlone() async throws {
        let workspace = try RunWorkspace(label: "pur-removed")
        defer { workspace.remove() }
        let directory = workspace.root + "/examples/pur-basic"
        let first = try await CLIProcess.run(["pur", "run", "jobs.csv", "--quiet"], in: directory)
        #expect(first.status == 0, "\(first.stdout)\n\(first.stderr)")
        let csv = try String(contentsOfFile: directory + "/jobs.csv", encoding: .utf8)
        let kept = csv.split(separator: "\n").filter { !$0.hasPrefix("Run_3,") }.joined(separator: "\n") + "\n"
        try kept.write(toFile: directory + "/jobs.csv", atomically: false, encoding: .utf8)
        let resume = try await CLIProcess.run(["pur", "resume", "jobs.csv"], in: directory)
        #expect(resume.status == 0, "\(resume.stdout)\n\(resume.stderr)")
        #expect(resume.stderr.contains("1 removed since run"), "\(resume.stderr)")
        #expect(resume.stderr.contains("Run_3 (job "), "\(resume.stderr)")
        #expect(resume.stderr.contains("left alone on the platform"), "\(resume.stderr)")
        #expect(workspace.results(in: "examples/pur-basic").keys.contains { $0.hasPrefix("Run_3/") })
    }

    @Test func anUploadInterlinkRecordedIsReusedWhileItsSourceIsUnchanged() async throws {
        let sim = try await SimProcess()
        let earlier = try RunWorkspace(label: "pur-state-up1")
        let workspace = try RunWorkspace(label: "pur-state-up2")
        defer {
            earlier.remove()
            workspace.remove()
        }
        let environment = sim.environment(configHome: workspace.root + "/config")
        // A real FileID of Run_1's inputs, from a run elsewhere against the same platform.
        let first = try await CLIProcess.run(
            Self.arguments(["--quiet"]),
            in: earlier.root + "/examples/pur-basic",
            environment: environment
        )
        try #require(first.status == 0, "\(first.stdout)\n\(first.stderr)")
        let exported = try String(contentsOfFile: earlier.root + "/examples/pur-basic/state.csv", encoding: .utf8)
        let run1 = try #require(exported.split(separator: "\n").first { $0.contains(",Run_1,") })
        let fileID = run1.split(separator: ",", omittingEmptySubsequences: false)[5]
        let directory = workspace.root + "/examples/pur-basic"
        let tarball = directory + "/Run_1.tar"
        try Data("tar".utf8).write(to: URL(fileURLWithPath: tarball))
        #expect(PURRunFlags.isUnchanged(tarball: tarball, directory: directory + "/Run_1"))
        let state = Self.header + "1,Run_1,\(directory)/Run_1,\(tarball),success,\(fileID),success,,failed,,,\n"
        try state.write(toFile: directory + "/state.csv", atomically: false, encoding: .utf8)
        // `pur resume` continues the run Interlink's state file records: there is no journal yet.
        let run = try await CLIProcess.run(Self.arguments(command: "resume"), in: directory, environment: environment)
        let written = try String(contentsOfFile: directory + "/state.csv", encoding: .utf8)
        let row = try #require(written.split(separator: "\n").first { $0.contains(",Run_1,") })
        let jobID = row.split(separator: ",", omittingEmptySubsequences: false)[7]
        let job = try await sim.json("GET", "/api/v3/jobs/\(jobID)/", apiKey: true)
        await sim.stop()
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stderr.contains("taking over 0 created jobs and 1 uploaded files"), "\(run.stderr)")
        let analyses = try #require(job["jobanalyses"] as? [[String: Any]], "\(job)")
        let inputs = try #require(analyses.first?["inputFiles"] as? [[String: Any]], "\(analyses)")
        #expect(inputs.compactMap { $0["id"] as? String } == [String(fileID)], "\(inputs)")
        #expect(row.contains(",\(fileID),success,"), "\(row)")
        #expect(
            workspace.results(in: "examples/pur-basic").contains {
                $0.key.hasPrefix("Run_1/") && $0.value.contains("sum")
            }
        )
        // A file of the directory written after the tarball makes the recorded upload stale.
        try await Task.sleep(for: .milliseconds(20))
        try Data("new".utf8).write(to: URL(fileURLWithPath: directory + "/Run_1/new.txt"))
        #expect(!PURRunFlags.isUnchanged(tarball: tarball, directory: directory + "/Run_1"))
    }
}

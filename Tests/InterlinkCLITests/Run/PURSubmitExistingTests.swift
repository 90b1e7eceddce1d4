import Foundation
import InterlinkCore
import Testing

/// `pur submit-existing` against `rescale-sim` over HTTP: jobs made from files already on the platform, with no
/// archive and no upload, created exactly once across reruns; a CSV with a row without file ids, or an id the
/// platform does not hold, creates nothing; `--ids` submits created jobs once each.
@Suite(.tags(.integration)) struct PURSubmitExistingTests {
    static let header =
        "Directory,JobName,AnalysisCode,AnalysisVersion,Command,CoreType,CoresPerSlot,WalltimeHours,Slots,"
        + "LicenseSettings,ExtraInputFileIDs,OnDemandLicenseSeller,ProjectID,OrgCode,Tags,NoDecompress,IsLowPriority,"
        + "Submit,TarSubpath\n"

    /// A row of the jobs CSV.
    static func row(_ name: String, files: String, submit: String = "yes") -> String {
        ",\(name),user_included,,cat input.txt > out-\(name).txt,emerald,1,0.25,1,,\"\(files)\",,,,,false,false,"
            + "\(submit),\n"
    }

    /// A file uploaded to the emulator with `files upload`; its id.
    static func upload(_ contents: String, in root: String, environment: [String: String]) async throws -> String {
        try contents.write(toFile: root + "/input.txt", atomically: false, encoding: .utf8)
        let result = try await CLIProcess.run(
            ["files", "upload", "input.txt", "--json"],
            in: root,
            environment: environment
        )
        try #require(result.status == 0, "\(result.stderr)")
        let records = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]]
        return try #require(records?.first?["id"] as? String, "\(result.stdout)")
    }

    static let arguments = [
        "pur", "submit-existing", "-j", "jobs.csv", "--platform", "rescale", "--poll-interval", "0.1",
    ]

    @Test func jobsAreMadeFromTheirFileIDsOnlyAndRerunsCreateNothing() async throws {
        let sim = try await SimProcess()
        let root = try makeWorkspace([:], label: "submit-existing")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let environment = sim.environment(configHome: root + "/config")
        let file = try await Self.upload("from the library\n", in: root, environment: environment)
        let before = try #require(try await sim.counts()["requests"] as? [String: Int])
        let csv = Self.header + Self.row("A", files: file) + Self.row("B", files: " \(file) ")
        try csv.write(toFile: root + "/jobs.csv", atomically: false, encoding: .utf8)
        let run = try await CLIProcess.run(Self.arguments, in: root, environment: environment)
        let again = try await CLIProcess.run(Self.arguments, in: root, environment: environment)
        let counts = try await sim.counts()
        let requests = try #require(counts["requests"] as? [String: Int])
        let jobs = try #require(counts["jobs"] as? [String: [String: Any]])
        var inputs: [[[String: Any]]] = []
        for id in jobs.keys {
            let job = try await sim.json("GET", "/api/v3/jobs/\(id)/", apiKey: true)
            let analyses = try #require(job["jobanalyses"] as? [[String: Any]])
            inputs.append(try #require(analyses.first?["inputFiles"] as? [[String: Any]]))
        }
        await sim.stop()
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        #expect(again.status == 0, "\(again.stdout)\n\(again.stderr)")
        #expect(again.stdout.contains("already complete"), "\(again.stdout)")
        #expect(requests["jobs.create"] == 2, "\(requests)")
        #expect(jobs.count == 2 && jobs.values.allSatisfy { $0["submits"] as? Int == 1 }, "\(jobs)")
        // Nothing archived, uploaded or registered: the upload and file counters did not move (storage
        // credentials are asked for again, by the downloads of the outputs).
        for kind in ["files.register", "s3.CreateMultipartUpload", "s3.UploadPart", "s3.PutObject"] {
            #expect(requests[kind] == before[kind], "\(kind): \(before[kind] ?? 0) -> \(requests[kind] ?? 0)")
        }
        for list in inputs {
            #expect(list.count == 1 && list.first?["id"] as? String == file, "\(list)")
            #expect(list.first?["decompress"] as? Bool == true, "\(list)")
        }
        let results = try FileManager.default.subpathsOfDirectory(atPath: root + "/results")
        #expect(results.contains { $0.hasSuffix("out-A.txt") } && results.contains { $0.hasSuffix("out-B.txt") })
        let state = try String(contentsOfFile: root + "/submit_existing_state.csv", encoding: .utf8)
        let rows = state.split(separator: "\n")
        #expect(rows.first?.hasPrefix("Index,JobName,Directory,TarPath,TarStatus,FileID,UploadStatus,JobID") == true)
        #expect(rows.count == 3, "\(state)")
        #expect(
            rows.dropFirst().allSatisfy { $0.contains(",skipped,,skipped,") && $0.contains(",success,") },
            "\(state)"
        )
        #expect(Set(jobs.keys).allSatisfy { state.contains(",\($0),") }, "\(state)")
    }

    @Test func aRowWithoutFileIDsRefusesTheWholeFileNamingEveryRow() async throws {
        let sim = try await SimProcess()
        let root = try makeWorkspace([:], label: "submit-existing-empty")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let csv = Self.header + Self.row("A", files: "F1") + Self.row("B", files: "") + Self.row("C", files: " ")
        try csv.write(toFile: root + "/jobs.csv", atomically: false, encoding: .utf8)
        let run = try await CLIProcess.run(
            Self.arguments,
            in: root,
            environment: sim.environment(configHome: root + "/config")
        )
        let requests = try await sim.counts()["requests"] as? [String: Int] ?? [:]
        await sim.stop()
        #expect(run.status == 65, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stderr.contains("jobs.csv:3:"), "\(run.stderr)")
        #expect(run.stderr.contains("jobs.csv:4:"), "\(run.stderr)")
        #expect(run.stderr.contains("job 2 ('B'): ExtraInputFileIDs is empty"), "\(run.stderr)")
        #expect(run.stderr.contains("job 3 ('C'): ExtraInputFileIDs is empty"), "\(run.stderr)")
        #expect(!run.stderr.contains("job 1 ('A')"), "\(run.stderr)")
        #expect(run.stderr.contains("help: "), "\(run.stderr)")
        #expect(requests.isEmpty, "nothing may be asked of the platform: \(requests)")
        #expect(!FileManager.default.fileExists(atPath: root + "/submit_existing_state.csv"))
        #expect(!FileManager.default.fileExists(atPath: root + "/.interlink/runs"))
    }

    @Test func aFileIDThePlatformDoesNotHoldCreatesNothing() async throws {
        let sim = try await SimProcess()
        let root = try makeWorkspace([:], label: "submit-existing-unknown")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let environment = sim.environment(configHome: root + "/config")
        let file = try await Self.upload("x\n", in: root, environment: environment)
        let csv = Self.header + Self.row("A", files: file) + Self.row("B", files: "\(file),nosuchfile")
        try csv.write(toFile: root + "/jobs.csv", atomically: false, encoding: .utf8)
        let run = try await CLIProcess.run(Self.arguments, in: root, environment: environment)
        let requests = try await sim.counts()["requests"] as? [String: Int] ?? [:]
        await sim.stop()
        #expect(run.status == 65, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stderr.contains("jobs.csv:3:"), "\(run.stderr)")
        #expect(run.stderr.contains("input file 'nosuchfile' does not exist on the platform"), "\(run.stderr)")
        #expect(!run.stderr.contains("input file '\(file)'"), "\(run.stderr)")
        #expect(requests["jobs.create"] == nil, "\(requests)")
    }

    @Test func idsSubmitsEachCreatedJobOnceAndReportsFailures() async throws {
        let sim = try await SimProcess()
        let root = try makeWorkspace([:], label: "submit-ids")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let environment = sim.environment(configHome: root + "/config")
        let body = """
            {"name": "made", "jobanalyses": [{"command": "true", "analysis": {"code": "user_included", "version": "0"},
             "hardware": {"coreType": {"code": "emerald"}, "coresPerSlot": 1, "walltime": 1},
             "useRescaleLicense": false, "onDemandLicenseSeller": null, "userDefinedLicenseSettings": null}],
             "isLowPriority": false}
            """
        let created = try await sim.json("POST", "/api/v3/jobs/", body: body, apiKey: true)
        let job = try #require(created["id"] as? String, "\(created)")
        let first = try await CLIProcess.run(
            ["pur", "submit-existing", "--ids", "\(job), nosuchjob,"],
            in: root,
            environment: environment
        )
        let second = try await CLIProcess.run(
            ["pur", "submit-existing", "--ids", job],
            in: root,
            environment: environment
        )
        let both = try await CLIProcess.run(
            ["pur", "submit-existing", "--ids", job, "-j", "jobs.csv"],
            in: root,
            environment: environment
        )
        let counts = try await sim.counts()
        await sim.stop()
        #expect(first.status == 1, "\(first.stdout)\n\(first.stderr)")
        #expect(first.stdout.contains("[SUBMIT] \(job) -> OK\n"), "\(first.stdout)")
        #expect(first.stdout.contains("[SUBMIT] nosuchjob -> FAILED: "), "\(first.stdout)")
        #expect(first.stderr.contains("1 of 3 submissions failed"), "\(first.stderr)")
        #expect(second.status == 0, "\(second.stdout)\n\(second.stderr)")
        #expect(second.stdout.contains("[SUBMIT] \(job) -> OK (already submitted"), "\(second.stdout)")
        #expect(second.stdout.contains("All 1 jobs submitted successfully"), "\(second.stdout)")
        #expect(both.status == 64 && both.stderr.contains("cannot use both --ids and --jobs-csv"), "\(both.stderr)")
        let jobs = try #require(counts["jobs"] as? [String: [String: Any]])
        #expect(jobs[job]?["submits"] as? Int == 1, "\(jobs)")
    }
}

/// `pur submit-existing` killed after journal records and run again, and on the local platform.
@Suite(.tags(.integration)) struct PURSubmitExistingResumeTests {
    @Test func aKilledRunContinuesAndCreatesAndSubmitsEachJobOnce() async throws {
        try await [2, 4, 7].concurrentForEach(limit: 3) { record in
            let sim = try await SimProcess()
            let root = try makeWorkspace([:], label: "submit-existing-crash-\(record)")
            defer { try? FileManager.default.removeItem(atPath: root) }
            let environment = sim.environment(configHome: root + "/config")
            let file = try await PURSubmitExistingTests.upload("x\n", in: root, environment: environment)
            let csv =
                PURSubmitExistingTests.header + PURSubmitExistingTests.row("A", files: file)
                + PURSubmitExistingTests.row("B", files: file)
            try csv.write(toFile: root + "/jobs.csv", atomically: false, encoding: .utf8)
            let arguments = PURSubmitExistingTests.arguments + ["--quiet"]
            let crashed = try await CLIProcess.run(
                arguments + ["--crash-after-record", String(record)],
                in: root,
                environment: environment
            )
            #expect(crashed.wasSignalled, "record \(record): \(crashed.stdout)\(crashed.stderr)")
            var finished = false
            for _ in 0..<3 where !finished {
                finished = try await CLIProcess.run(arguments, in: root, environment: environment).status == 0
            }
            let counts = try await sim.counts()
            await sim.stop()
            #expect(finished, "record \(record): the continued run did not finish")
            #expect(counts["creates"] as? Int == 2, "record \(record): \(counts)")
            let jobs = counts["jobs"] as? [String: [String: Any]] ?? [:]
            #expect(
                jobs.count == 2 && jobs.values.allSatisfy { $0["submits"] as? Int == 1 },
                "record \(record): \(jobs)"
            )
        }
    }

    @Test func onTheLocalPlatformJobsUseTheFilesOfAnEarlierRun() async throws {
        let workspace = try RunWorkspace(label: "submit-existing-local")
        defer { workspace.remove() }
        let directory = workspace.root + "/examples/pur-basic"
        let first = try await CLIProcess.run(
            ["pur", "run", "jobs.csv", "--state", "state.csv", "--quiet"],
            in: directory
        )
        try #require(first.status == 0, "\(first.stdout)\(first.stderr)")
        let state = try String(contentsOfFile: directory + "/state.csv", encoding: .utf8)
        let fileIDs = state.split(separator: "\n").dropFirst().map {
            String($0.split(separator: ",", omittingEmptySubsequences: false)[5])
        }
        try #require(fileIDs.count == 3 && fileIDs.allSatisfy { !$0.isEmpty }, "\(state)")
        let csv =
            PURSubmitExistingTests.header
            + ",Again_1,user_included,,cd Run_1 && sh run.sh,emerald,1,0.25,1,,\(fileIDs[0]),,,,,false,false,yes,\n"
        try csv.write(toFile: directory + "/again.csv", atomically: false, encoding: .utf8)
        let run = try await CLIProcess.run(["pur", "submit-existing", "-j", "again.csv", "--quiet"], in: directory)
        let unknown =
            PURSubmitExistingTests.header
            + ",Again_2,user_included,,true,emerald,1,0.25,1,,nosuch,,,,,false,false,yes,\n"
        try unknown.write(toFile: directory + "/unknown.csv", atomically: false, encoding: .utf8)
        let refused = try await CLIProcess.run(["pur", "submit-existing", "-j", "unknown.csv"], in: directory)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let results = workspace.results(in: "examples/pur-basic")
        let again = results.first { $0.key.hasPrefix("Again_1/") && $0.key.hasSuffix("result.txt") }?.value
        let original = results.first { $0.key.hasPrefix("Run_1/") && $0.key.hasSuffix("result.txt") }?.value
        #expect(again != nil && again == original, "\(results.keys.sorted())")
        #expect(refused.status == 65, "\(refused.stdout)\(refused.stderr)")
        #expect(
            refused.stderr.contains("unknown.csv:2:")
                && refused.stderr.contains("error: input file 'nosuch' does not exist"),
            "\(refused.stderr)"
        )
    }
}

import Foundation
import InterlinkCLI
import InterlinkCore
import InterlinkTestSupport
import Testing

/// Interlink's `pur run` flags against `rescale-sim` and the local platform: `--extra-input-files` (checked on the
/// platform first), `--decompress-extras`, `--multipart`, `--tar-compression gz`, `--dry-run` (which touches
/// nothing), and `pur plan --validate-coretype`.
@Suite(.tags(.integration)) struct PURRunFlagsTests {
    static let rescale = ["--platform", "rescale", "--poll-interval", "0.1"]

    /// Every file under `root` with its bytes (the `.interlink` folder included).
    static func tree(_ root: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for path in try FileManager.default.subpathsOfDirectory(atPath: root) {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &isDirectory)
            files[path] = isDirectory.boolValue ? Data() : try Data(contentsOf: URL(fileURLWithPath: root + "/" + path))
        }
        return files
    }

    @Test func extraInputFilesAreAttachedToEveryJobAndUnknownOnesRefused() async throws {
        let sim = try await SimProcess()
        let workspace = try RunWorkspace(label: "pur-extras")
        defer { workspace.remove() }
        let directory = workspace.root + "/examples/pur-basic"
        let environment = sim.environment(configHome: workspace.root + "/config")
        try "shared\n".write(toFile: workspace.root + "/shared.txt", atomically: false, encoding: .utf8)
        let upload = try await CLIProcess.run(
            ["files", "upload", "shared.txt", "--json"],
            in: workspace.root,
            environment: environment
        )
        let records = try JSONSerialization.jsonObject(with: Data(upload.stdout.utf8)) as? [[String: Any]]
        let file = try #require(records?.first?["id"] as? String, "\(upload.stdout)\(upload.stderr)")
        let refused = try await CLIProcess.run(
            ["pur", "run", "jobs.csv", "--extra-input-files", "\(file),nosuch1, id:nosuch2"] + Self.rescale,
            in: directory,
            environment: environment
        )
        let afterRefusal = try #require(try await sim.counts()["requests"] as? [String: Int])
        let run = try await CLIProcess.run(
            [
                "pur", "run", "jobs.csv", "--extra-input-files", "id:\(file)", "--decompress-extras", "--multipart",
                "--tar-compression", "gz",
            ] + Self.rescale,
            in: directory,
            environment: environment
        )
        let counts = try #require(try await sim.counts()["requests"] as? [String: Int])
        let jobs = try #require(try await sim.counts()["jobs"] as? [String: Any])
        var inputs: [[[String: Any]]] = []
        for id in jobs.keys {
            let job = try await sim.json("GET", "/api/v3/jobs/\(id)/", apiKey: true)
            let analyses = try #require(job["jobanalyses"] as? [[String: Any]])
            inputs.append(try #require(analyses.first?["inputFiles"] as? [[String: Any]]))
        }
        var names: [String] = []
        for list in inputs {
            let id = try #require(list.first?["id"] as? String)
            names.append(
                try #require(try await sim.json("GET", "/api/v3/files/\(id)/", apiKey: true)["name"] as? String)
            )
        }
        await sim.stop()
        #expect(refused.status == 65, "\(refused.stdout)\n\(refused.stderr)")
        #expect(refused.stderr.contains("input file 'nosuch1' does not exist on the platform"), "\(refused.stderr)")
        #expect(refused.stderr.contains("input file 'nosuch2' does not exist on the platform"), "\(refused.stderr)")
        #expect(!refused.stderr.contains("input file '\(file)'"), "\(refused.stderr)")
        #expect(afterRefusal["jobs.create"] == nil && afterRefusal["files.register"] == 1, "\(afterRefusal)")
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stderr.contains("--multipart: uploads are always multipart"), "\(run.stderr)")
        #expect(inputs.count == 3)
        for list in inputs {
            #expect(list.count == 2, "\(list)")
            #expect(list.first?["decompress"] as? Bool == true, "\(list)")
            #expect(list.last?["id"] as? String == file && list.last?["decompress"] as? Bool == true, "\(list)")
        }
        #expect(names.allSatisfy { $0.hasSuffix(".tar.gz") }, "gz is gzip: \(names)")
        // Three small archives, each a multipart upload: no single PutObject.
        #expect(counts["s3.CreateMultipartUpload", default: 0] >= 4 && counts["s3.PutObject"] == nil, "\(counts)")
    }

    @Test func dryRunSaysWhatWouldHappenAndTouchesNothing() async throws {
        let workspace = try RunWorkspace(label: "pur-dry")
        defer { workspace.remove() }
        let directory = workspace.root + "/examples/pur-basic"
        let before = try Self.tree(directory)
        let fresh = try await CLIProcess.run(["pur", "run", "jobs.csv", "--dry-run"], in: directory)
        #expect(fresh.status == 0, "\(fresh.stdout)\n\(fresh.stderr)")
        #expect(fresh.stdout.contains("would start a new run"), "\(fresh.stdout)")
        #expect(fresh.stdout.contains("job Run_1: would be archived and uploaded (2 files, "), "\(fresh.stdout)")
        #expect(
            fresh.stdout.contains("), then created and submitted, followed and its outputs downloaded\n"),
            "\(fresh.stdout)"
        )
        #expect(try Self.tree(directory) == before, "a dry run wrote a file")
        let resumeNothing = try await CLIProcess.run(["pur", "resume", "jobs.csv", "--dry-run"], in: directory)
        #expect(resumeNothing.status == 64, "\(resumeNothing.stderr)")

        // A run killed part-way: the dry run names where each job stands.
        let killed = try await CLIProcess.run(
            ["run", "jobs.csv", "--crash-after-record", "12", "--quiet"],
            in: directory
        )
        #expect(killed.status != 0)
        let journal = try String(
            contentsOfFile: try workspace.runDirectory(in: "examples/pur-basic") + "/journal.jsonl",
            encoding: .utf8
        )
        try "1\n2\n".write(toFile: directory + "/Run_3/input.txt", atomically: false, encoding: .utf8)
        let middle = try Self.tree(directory)
        let dry = try await CLIProcess.run(["pur", "resume", "jobs.csv", "--dry-run"], in: directory)
        let json = try await CLIProcess.run(["pur", "run", "jobs.csv", "--dry-run", "--json"], in: directory)
        #expect(try Self.tree(directory) == middle, "a dry run wrote a file")
        #expect(dry.status == 0, "\(dry.stdout)\n\(dry.stderr)")
        #expect(dry.stdout.contains("would continue run "), "\(dry.stdout)")
        #expect(dry.stdout.contains("job Run_3: changed since run "), "\(dry.stdout)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let entries = try #require(document["jobs"] as? [[String: Any]])
        let actions = Dictionary(
            uniqueKeysWithValues: entries.map { ($0["name"] as? String ?? "", $0["action"] as? String ?? "") }
        )
        #expect(actions["Run_3"] == "redo", "\(actions)")
        #expect(actions.values.contains("resume") || actions.values.contains("start"), "\(json.stdout)")
        for entry in entries where entry["action"] as? String == "resume" {
            let line = "job \(entry["name"] as? String ?? ""): \(entry["message"] as? String ?? "")"
            #expect(dry.stdout.contains(line), "\(dry.stdout)")
            #expect(
                (entry["message"] as? String)?.hasPrefix("would resume at") == true
                    || (entry["message"] as? String)?.contains("would be") == true,
                "\(entry)"
            )
        }
        try await Self.validate(json.stdout, against: "pur-dry-run.schema.json", in: workspace.root)
        #expect(
            try String(
                contentsOfFile: try workspace.runDirectory(in: "examples/pur-basic") + "/journal.jsonl",
                encoding: .utf8
            ) == journal
        )

        // After the real resume, every job is done and the dry run says so.
        let resume = try await CLIProcess.run(["pur", "resume", "jobs.csv", "--quiet"], in: directory)
        #expect(resume.status == 0, "\(resume.stdout)\n\(resume.stderr)")
        let done = try await CLIProcess.run(["pur", "run", "jobs.csv", "--dry-run"], in: directory)
        for job in ["Run_1", "Run_2", "Run_3"] {
            #expect(done.stdout.contains("job \(job): done, nothing to do"), "\(done.stdout)")
        }
    }

    @Test func dryRunNamesTheJobsAStateFileHandsOverAndAsksThePlatformNothing() async throws {
        let sim = try await SimProcess()
        let workspace = try RunWorkspace(label: "pur-dry-state")
        defer { workspace.remove() }
        let directory = workspace.root + "/examples/pur-basic"
        let state =
            PURStateImportTests.header
            + "2,Run_2,\(directory)/Run_2,,success,Fgone,success,J123,success,,,2026-11-25T10:00:05Z\n"
        try state.write(toFile: directory + "/state.csv", atomically: false, encoding: .utf8)
        let before = try Self.tree(directory)
        let dry = try await CLIProcess.run(
            ["pur", "run", "jobs.csv", "--state", "state.csv", "--dry-run"] + Self.rescale,
            in: directory,
            environment: sim.environment(configHome: workspace.root + "/config")
        )
        let requests = try await sim.counts()["requests"] as? [String: Int] ?? [:]
        await sim.stop()
        #expect(dry.status == 0, "\(dry.stdout)\n\(dry.stderr)")
        #expect(dry.stdout.contains("job Run_2: adopted from state.csv JobID J123; would be followed"), "\(dry.stdout)")
        #expect(dry.stdout.contains("job Run_1: would be archived and uploaded"), "\(dry.stdout)")
        #expect(requests.isEmpty, "a dry run asked the platform: \(requests)")
        #expect(try Self.tree(directory) == before, "a dry run wrote a file")
    }

    @Test func planValidateCoreTypeChecksEveryRowAgainstTheCatalogue() async throws {
        let sim = try await SimProcess()
        let workspace = try RunWorkspace(label: "pur-plan-coretype")
        defer { workspace.remove() }
        let directory = workspace.root + "/examples/pur-basic"
        let environment = sim.environment(configHome: workspace.root + "/config")
        let good = try await CLIProcess.run(
            ["pur", "plan", "jobs.csv", "--validate-coretype"],
            in: directory,
            environment: environment
        )
        let csv = try String(contentsOfFile: directory + "/jobs.csv", encoding: .utf8)
        let bad = csv.replacingOccurrences(
            of: "Run_2,user_included,,cd Run_2 && sh run.sh,emerald,1,",
            with: "Run_2,user_included,,cd Run_2 && sh run.sh,nosuchtype,1,"
        )
        .replacingOccurrences(
            of: "Run_3,user_included,,cd Run_3 && sh run.sh,emerald,1,",
            with: "Run_3,user_included,,cd Run_3 && sh run.sh,emerald,3,"
        )
        try bad.write(toFile: directory + "/jobs.csv", atomically: false, encoding: .utf8)
        let refused = try await CLIProcess.run(
            ["pur", "plan", "-j", "jobs.csv", "--validate-coretype"],
            in: directory,
            environment: environment
        )
        let offline = try await CLIProcess.run(["pur", "plan", "jobs.csv"], in: directory)
        let requests = try await sim.counts()["requests"] as? [String: Int] ?? [:]
        await sim.stop()
        #expect(good.status == 0 && good.stdout.contains("✓ Pipeline plan is valid"), "\(good.stdout)\(good.stderr)")
        #expect(refused.status == 65, "\(refused.stdout)\n\(refused.stderr)")
        #expect(refused.stdout.contains("[1/3] ✓ Run_1"), "\(refused.stdout)")
        #expect(refused.stdout.contains("[2/3] ✗ Run_2\n        - unknown core type 'nosuchtype'"), "\(refused.stdout)")
        #expect(refused.stdout.contains("[3/3] ✗ Run_3\n        - 3 cores per slot is not valid"), "\(refused.stdout)")
        #expect(refused.stderr.contains("jobs.csv:3:"), "\(refused.stderr)")
        #expect(refused.stderr.contains("jobs.csv:4:"), "\(refused.stderr)")
        #expect(refused.stderr.contains("help: use one of the platform's core types:"), "\(refused.stderr)")
        #expect(offline.status == 0, "without the flag the catalogue is not read: \(offline.stderr)")
        #expect(requests["coretypes", default: 0] > 0, "\(requests)")
    }

    @Test func tarCompressionGzIsGzipAndUnknownValuesAreRefused() throws {
        #expect(PURRunFlags.compression(named: "gz") == .gzip)
        #expect(PURRunFlags.compression(named: "gzip") == .gzip)
        #expect(PURRunFlags.compression(named: "none") == Compression.none)
        #expect(PURRunFlags.compression(named: "zstd") != nil)
        #expect(PURRunFlags.compression(named: "bz2") == nil)
        let flags = try PURRunFlags.parse(["jobs.csv", "--extra-input-files", " a, id:b ,,a"])
        #expect(flags.extraFileIDs == ["a", "b"])
        #expect(throws: (any Error).self) { try PURRunFlags.parse(["jobs.csv", "--decompress-extras"]) }
        #expect(throws: (any Error).self) { try PURRunFlags.parse(["jobs.csv", "--tar-compression", "bz2"]) }
    }

    @Test func extraInputFilesFollowTheRowsOwnAndAreUnpackedOnlyWithDecompressExtras() throws {
        let workspace = try RunWorkspace(label: "pur-extras-plan")
        defer { workspace.remove() }
        let directory = workspace.root + "/examples/pur-basic"
        let csv = try String(contentsOfFile: directory + "/jobs.csv", encoding: .utf8)
        let withRowFile = csv.replacingOccurrences(
            of: "1,0.25,1,,,,,,\"pur,example\",false,false,yes,\nRun_2",
            with: "1,0.25,1,,\"R1,F2\",,,,\"pur,example\",false,false,yes,\nRun_2"
        )
        #expect(withRowFile != csv)
        try withRowFile.write(toFile: directory + "/jobs.csv", atomically: false, encoding: .utf8)
        func files(_ arguments: [String]) throws -> [[String]] {
            let plan = try PURRunFlags.parse(["jobs.csv"] + arguments).makePlan(
                currentDirectory: directory,
                savesStatCache: false
            )
            return plan.jobs.map { node in node.existingFiles.map { "\($0.id):\($0.decompress)" } }
        }
        #expect(
            try files(["--extra-input-files", "F1,F2"]) == [
                ["R1:true", "F2:true", "F1:false"], ["F1:false", "F2:false"], ["F1:false", "F2:false"],
            ]
        )
        #expect(
            try files(["--extra-input-files", "F1", "--decompress-extras"]) == [
                ["R1:true", "F2:true", "F1:true"], ["F1:true"], ["F1:true"],
            ]
        )
        #expect(!FileManager.default.fileExists(atPath: directory + "/.interlink"), "the plan wrote a file")
    }

    /// Checks a JSON document against a schema of `schemas/` with Python's jsonschema.
    static func validate(_ document: String, against schema: String, in root: String) async throws {
        let path = root + "/document.json"
        try document.write(toFile: path, atomically: false, encoding: .utf8)
        let script = """
            import json, sys, jsonschema
            validator = jsonschema.Draft202012Validator(json.load(open(sys.argv[1])))
            errors = [e.message for e in validator.iter_errors(json.load(open(sys.argv[2])))]
            print("\\n".join(errors))
            sys.exit(1 if errors else 0)
            """
        let schemaPath = RunWorkspace.repository.appendingPathComponent("schemas/" + schema).path
        let result = try await ChildProcess.run("/usr/bin/env", ["python3", "-c", script, schemaPath, path])
        #expect(result.status == 0, "\(result.stdoutText)\(result.stderrText)")
    }
}

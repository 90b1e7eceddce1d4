import Foundation
import InterlinkTestSupport
import Testing

/// The real binary on a real single-node Slurm (`scripts/slurm-cluster`, started once per test process): the
/// examples give the local platform's outputs, a crash after any journal record submits nothing twice, and exit
/// codes, `stop`, a controller restart and (slow) time limits are what Slurm says.
@Suite(.tags(.integration), .disabled(if: SlurmTestCluster.isWaived, Comment(rawValue: SlurmTestCluster.waivedComment)))
struct SlurmRunTests {
    /// The examples and the file each runs.
    static let examples = [
        ("examples/dag-shared", "workflow.yaml"), ("examples/pur-basic", "jobs.csv"),
        ("examples/sge-scripts", "workflow.yaml"), ("examples/yaml-sweep", "workflow.yaml"),
    ]

    /// `rescale-int run FILE --platform slurm` in `directory`, polling fast.
    static func runOnSlurm(
        _ file: String,
        in directory: String,
        cluster: SlurmTestCluster.Cluster,
        extra: [String] = []
    ) async throws -> CLIProcess.Result {
        try await CLIProcess.run(
            ["run", file, "--quiet", "--platform", "slurm", "--poll-interval", "0.2"] + extra,
            in: directory,
            environment: ["SLURM_CONF": cluster.configuration]
        )
    }

    /// The markers of the jobs under a work root, each with the Slurm jobs that carry it (any state).
    static func slurmJobsPerMarker(workRoot: String, cluster: SlurmTestCluster.Cluster) async throws -> [String: Int] {
        let markers = (try? FileManager.default.contentsOfDirectory(atPath: workRoot + "/jobs")) ?? []
        let listing = try await ChildProcess.run(
            "/usr/bin/env",
            ["squeue", "-t", "all", "-h", "-o", "%j|%k"],
            environment: cluster.environment
        )
        let names = listing.stdoutText.split(separator: "\n").map { $0.split(separator: "|").map(String.init) }
        var counts: [String: Int] = [:]
        for marker in markers where marker.hasPrefix("il-") {
            counts[marker] = names.filter { $0.first == marker && $0.last == marker }.count
        }
        return counts
    }

    @Test(arguments: examples)
    func exampleGivesTheLocalOutputsOnSlurm(folder: String, file: String) async throws {
        let cluster = try await SlurmTestCluster.shared()
        let local = try RunWorkspace(label: "slurm-local")
        let slurm = try RunWorkspace(label: "slurm-run")
        defer {
            local.remove()
            slurm.remove()
        }
        async let onLocal = CLIProcess.run(["run", file, "--quiet"], in: local.root + "/" + folder)
        let onSlurm = try await Self.runOnSlurm(file, in: slurm.root + "/" + folder, cluster: cluster)
        let localResult = try await onLocal
        #expect(localResult.status == 0, "\(localResult.stderr)")
        #expect(onSlurm.status == 0, "\(onSlurm.stdout)\n\(onSlurm.stderr)")
        let results = slurm.results(in: folder)
        #expect(!results.isEmpty)
        #expect(results == local.results(in: folder))
        let perMarker = try await Self.slurmJobsPerMarker(
            workRoot: slurm.root + "/" + folder + "/.interlink/slurm",
            cluster: cluster
        )
        #expect(!perMarker.isEmpty && perMarker.values.allSatisfy { $0 == 1 }, "\(perMarker)")
    }

    /// A one-job workflow with an input directory and an output.
    static let oneJob = """
        version: 1
        name: one
        jobs:
          - name: one
            inputs: [mesh]
            command: "cat mesh/*.msh | wc -l > lines.txt"
        """

    @Test func crashAfterEveryJournalRecordSubmitsOnce() async throws {
        let cluster = try await SlurmTestCluster.shared()
        let folder = "examples/dag-shared"
        let reference = try RunWorkspace(label: "slurm-crash-reference")
        defer { reference.remove() }
        try Self.oneJob.write(toFile: reference.root + "/" + folder + "/one.yaml", atomically: true, encoding: .utf8)
        let clean = try await Self.runOnSlurm("one.yaml", in: reference.root + "/" + folder, cluster: cluster)
        try #require(clean.status == 0, "\(clean.stderr)")
        let records = try reference.journal(in: folder).count
        let expected = reference.results(in: folder)
        #expect(records > 8 && expected.keys.contains("one/lines.txt"), "\(records) \(expected.keys)")
        // Eight crash points at a time (the node advertises 16 CPUs): the runs mostly wait on Slurm and their polls.
        try await (1..<records).concurrentForEach(limit: 8) { record in
            let workspace = try RunWorkspace(label: "slurm-crash-\(record)")
            defer { workspace.remove() }
            let directory = workspace.root + "/" + folder
            try Self.oneJob.write(toFile: directory + "/one.yaml", atomically: true, encoding: .utf8)
            let crashed = try await Self.runOnSlurm(
                "one.yaml",
                in: directory,
                cluster: cluster,
                extra: ["--crash-after-record", String(record)]
            )
            #expect(crashed.wasSignalled || crashed.status == 0, "record \(record): \(crashed.stderr)")
            var finished = crashed.status == 0 && !crashed.wasSignalled
            for _ in 0..<3 where !finished {
                finished = try await Self.runOnSlurm("one.yaml", in: directory, cluster: cluster).status == 0
            }
            #expect(finished, "record \(record): the resumed run did not finish")
            #expect(workspace.results(in: folder) == expected, "record \(record): outputs differ")
            let perMarker = try await Self.slurmJobsPerMarker(
                workRoot: directory + "/.interlink/slurm",
                cluster: cluster
            )
            #expect(perMarker.count == 1 && perMarker.values.allSatisfy { $0 == 1 }, "record \(record): \(perMarker)")
        }
    }

    @Test func aFailingJobEndsWithItsExitCode() async throws {
        let cluster = try await SlurmTestCluster.shared()
        let directory = try makeWorkspace(
            [
                "fail.yaml": """
                version: 1
                name: fail
                slurm:
                  partition: debug
                  sbatch-args: ["--nice=10"]
                  work-root: scratch
                  submit-rate: 5
                jobs:
                  - name: fails
                    command: "echo partial > partial.txt; exit 3"
                """
            ],
            label: "slurm-fail"
        )
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = try await Self.runOnSlurm(
            "fail.yaml",
            in: directory,
            cluster: cluster,
            extra: ["--max-attempts", "1"]
        )
        #expect(result.status == 1, "\(result.stdout)\n\(result.stderr)")
        let journal = try Self.journalText(in: directory)
        #expect(journal.contains("the command exited with status 3"), "\(journal.suffix(2000))")
        // The workflow's `slurm:` settings reached sbatch: its work root holds the job.
        let jobs = try FileManager.default.contentsOfDirectory(atPath: directory + "/scratch/jobs")
        #expect(jobs.count == 1 && jobs.allSatisfy { $0.hasPrefix("il-") }, "\(jobs)")
    }

    @Test func stopCancelsTheJobWithScancelAndWaits() async throws {
        let cluster = try await SlurmTestCluster.shared()
        let workspace = try RunWorkspace(label: "slurm-stop")
        defer { workspace.remove() }
        let folder = "examples/dag-shared"
        let directory = workspace.root + "/" + folder
        try RunWorkspace.gatedWorkflow(gate: workspace.root + "/never").write(
            toFile: directory + "/slow.yaml",
            atomically: true,
            encoding: .utf8
        )
        let run = try CLIProcess(
            ["run", "slow.yaml", "--quiet", "--platform", "slurm", "--poll-interval", "0.2"],
            in: directory,
            environment: ["SLURM_CONF": cluster.configuration]
        )
        try await OutputsAndStopTests.waitForStatus("executing", in: folder, of: workspace)
        run.send(SIGINT)
        let interrupted = await run.wait()
        #expect(interrupted.status == 130, "\(interrupted.stderr)")
        #expect(interrupted.stderr.contains("jobs keep running on Slurm"), "\(interrupted.stderr)")
        let stop = try await CLIProcess.run(
            ["stop", "slow.yaml"],
            in: directory,
            environment: ["SLURM_CONF": cluster.configuration]
        )
        #expect(stop.status == 0, "\(stop.stdout)\n\(stop.stderr)")
        #expect(stop.stdout.contains("1 jobs stopped"), "\(stop.stdout)")
        #expect(try OutputsAndStopTests.records("jobStopped", in: folder, of: workspace).count == 1)
        let marker = try #require(
            try FileManager.default.contentsOfDirectory(atPath: directory + "/.interlink/slurm/jobs").first
        )
        let shown = try await ChildProcess.run(
            "/usr/bin/env",
            ["squeue", "-t", "all", "-h", "--name", marker, "-o", "%T"],
            environment: cluster.environment
        )
        #expect(shown.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == "CANCELLED", "\(shown.stdoutText)")
    }

    @Test func aControllerRestartMidRunLosesNothing() async throws {
        // A cluster of its own (the shared one serves tests running meanwhile); if this test fails before its
        // end, the script's watcher stops it with the test process.
        let cluster = try await SlurmTestCluster.start(label: "restart")
        let workspace = try RunWorkspace(label: "slurm-restart")
        defer { workspace.remove() }
        let folder = "examples/dag-shared"
        let directory = workspace.root + "/" + folder
        let gate = workspace.root + "/gate"
        try RunWorkspace.gatedWorkflow(gate: gate, afterwards: "; echo ok > out.txt").write(
            toFile: directory + "/slow.yaml",
            atomically: true,
            encoding: .utf8
        )
        let run = try CLIProcess(
            ["run", "slow.yaml", "--quiet", "--platform", "slurm", "--poll-interval", "0.2"],
            in: directory,
            environment: ["SLURM_CONF": cluster.configuration]
        )
        try await OutputsAndStopTests.waitForStatus("executing", in: folder, of: workspace)
        try await SlurmTestCluster.control("restart-controller", cluster)
        try Data().write(to: URL(fileURLWithPath: gate))
        let finished = await run.wait()
        #expect(finished.status == 0, "\(finished.stdout)\n\(finished.stderr)")
        #expect(workspace.results(in: folder)["slow/out.txt"] == "ok\n", "\(workspace.results(in: folder).keys)")
        let perMarker = try await Self.slurmJobsPerMarker(workRoot: directory + "/.interlink/slurm", cluster: cluster)
        #expect(perMarker.count == 1 && perMarker.values.allSatisfy { $0 == 1 }, "\(perMarker)")
        try await SlurmTestCluster.control("stop", cluster)
    }

    @Test(
        .disabled(
            if: ProcessInfo.processInfo.environment["INTERLINK_TEST_SLOW"] != "1",
            "set INTERLINK_TEST_SLOW=1: over 60 s"
        )
    )
    func aTimeLimitEndsTheJobAsTimeout() async throws {
        let cluster = try await SlurmTestCluster.shared()
        let directory = try makeWorkspace(
            [
                "limit.yaml": """
                version: 1
                name: limit
                jobs:
                  - name: sleeps
                    walltime: 1m
                    command: "sleep 300"
                """
            ],
            label: "slurm-limit"
        )
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = try await Self.runOnSlurm(
            "limit.yaml",
            in: directory,
            cluster: cluster,
            extra: ["--max-attempts", "1"]
        )
        #expect(result.status == 1, "\(result.stdout)\n\(result.stderr)")
        #expect(try Self.journalText(in: directory).contains("TIMEOUT"))
    }

    @Test func anUnreachableControllerOrAMissingClientIsExit69WithWhatToCheck() async throws {
        let cluster = try await SlurmTestCluster.shared()
        let directory = try makeWorkspace(["w.yaml": "version: 1\nname: w\njobs:\n  - name: a\n    command: \"true\"\n"]
        )
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // The cluster's configuration with a controller port nothing listens on: `scontrol ping` says DOWN.
        let conf = try String(contentsOfFile: cluster.configuration, encoding: .utf8).split(separator: "\n").map {
            $0.hasPrefix("SlurmctldPort=") ? "SlurmctldPort=9" : String($0)
        }.joined(separator: "\n")
        try conf.write(toFile: directory + "/down.conf", atomically: true, encoding: .utf8)
        for (path, says) in [(directory + "/down.conf", "is DOWN"), (directory + "/none.conf", "cannot be read")] {
            let result = try await CLIProcess.run(
                ["run", "w.yaml", "--platform", "slurm"],
                in: directory,
                environment: ["SLURM_CONF": path]
            )
            #expect(result.status == 69, "\(result.stderr)")
            #expect(result.stderr.contains("the Slurm controller does not answer"), "\(result.stderr)")
            #expect(result.stderr.contains(says) && result.stderr.contains("SLURM_CONF='\(path)'"), "\(result.stderr)")
        }
        let missing = try await CLIProcess.run(
            ["run", "w.yaml", "--platform", "slurm"],
            in: directory,
            environment: ["PATH": "/nonexistent", "SLURM_CONF": cluster.configuration]
        )
        #expect(missing.status == 69, "\(missing.stderr)")
        #expect(missing.stderr.contains("'sbatch'") && missing.stderr.contains("PATH"), "\(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory + "/.interlink/runs"), "a run started")
    }

    /// The journal of the one run under `directory`.
    static func journalText(in directory: String) throws -> String {
        let runs = directory + "/.interlink/runs"
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: runs).first { !$0.hasPrefix(".") })
        return try String(contentsOfFile: runs + "/" + name + "/journal.jsonl", encoding: .utf8)
    }
}

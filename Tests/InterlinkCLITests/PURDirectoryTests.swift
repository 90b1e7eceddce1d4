import Foundation
import InterlinkCore
import InterlinkSystem
import InterlinkTestSupport
import Testing

/// Jobs CSV directories, their warnings, `scan-files` with no jobs, `pur plan` with load errors and
/// `pur make-script`, run as a user runs them: the real binary on real files.
@Suite(.tags(.integration)) struct PURDirectoryTests {
    static let header =
        "Directory,JobName,AnalysisCode,Command,CoreType,CoresPerSlot,WalltimeHours,Slots,LicenseSettings"

    static func row(_ directory: String, _ name: String, cores: String = "1") -> String {
        "\(directory),\(name),user_included,./run.sh,emerald,\(cores),1,1,"
    }

    static func csv(_ rows: [String]) -> String { ([header] + rows).joined(separator: "\n") + "\n" }

    @Test func directoryResolvesAgainstTheWorkingDirectoryThenTheCSVFolder() throws {
        let root = try makeWorkspace([
            "study/jobs.csv": Self.csv([Self.row("Run_1", "a"), Self.row("Run_2", "b"), Self.row("Run_3", "c")]),
            "study/Run_1/in.txt": "1", "Run_2/in.txt": "2", "study/Run_2/in.txt": "other",
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        // Run_2 exists under both folders: refused. Without it, each value resolves where it exists.
        let fileSystem = LocalFileSystem(currentDirectory: root)
        let error = #expect(throws: DiagnosticsError.self) {
            try WorkflowLoader.load(path: "study/jobs.csv", fileSystem: fileSystem)
        }
        let ambiguous = try #require(error?.errors.first)
        #expect(ambiguous.location?.description == "study/jobs.csv:3:1")
        #expect(
            ambiguous.message
                == "Directory 'Run_2' names two different folders: '\(root)/Run_2' (from the working directory) and "
                + "'\(root)/study/Run_2' (from the CSV's folder)"
        )
        #expect(ambiguous.help?.contains("write the absolute path of the one you mean") == true)

        try FileManager.default.removeItem(atPath: root + "/study/Run_2")
        try FileManager.default.createDirectory(atPath: root + "/Run_3", withIntermediateDirectories: true)
        try "3".write(toFile: root + "/Run_3/in.txt", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: root + "/study/Run_3", withDestinationPath: root + "/Run_3")
        let loaded = try WorkflowLoader.load(path: "study/jobs.csv", fileSystem: fileSystem)
        let directories = loaded.workflow.jobs.map { job in
            job.inputs.compactMap { input -> String? in
                if case .archive(let archive) = input { return archive.directory }
                return nil
            }
        }
        // Run_3 is one folder reached two ways (a link): not ambiguous.
        #expect(directories == [["\(root)/study/Run_1"], ["\(root)/Run_2"], ["\(root)/Run_3"]])
    }

    @Test func theCLIRefusesAnAmbiguousDirectoryAndWarnsAboutSharedOnes() async throws {
        let root = try makeWorkspace([
            "study/jobs.csv": Self.csv([Self.row("Run_1", "a"), Self.row("Run_1", "b")]),
            "study/Run_1/in.txt": "1", "Run_1/in.txt": "2",
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let refused = try await CLIProcess.run(["validate", "study/jobs.csv"], in: root)
        #expect(refused.status == 65)
        #expect(
            refused.stderr.contains("study/jobs.csv:2:1: error: Directory 'Run_1' names two different folders"),
            "\(refused.stderr)"
        )
        try FileManager.default.removeItem(atPath: root + "/Run_1")
        let shared = try await CLIProcess.run(["validate", "study/jobs.csv"], in: root)
        #expect(shared.status == 0, "\(shared.stderr)")
        #expect(
            shared.stderr.contains(
                "study/jobs.csv:3:1: warning: row 'b' archives the same directory as row 'a' ('\(root)/study/Run_1')"
            ),
            "\(shared.stderr)"
        )
    }

    @Test func makeDirsCSVWarnsAboutAPartDirectoryWithoutTheRunSubpath() async throws {
        let root = try makeWorkspace([
            "tpl.csv": Self.csv([Self.row("", "Run_1")]), "doe/A/sim/Run_1/in.txt": "1", "doe/B/other/x.txt": "",
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = try await CLIProcess.run(
            [
                "pur", "make-dirs-csv", "-t", "tpl.csv", "-p", "Run_*", "--run-subpath", "sim", "--part-dirs",
                "doe/A,doe/B,doe/C", "-o", "jobs.csv",
            ],
            in: root
        )
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("doe/B: warning: part directory has no run subpath 'sim' and is skipped"))
        #expect(result.stderr.contains("doe/C: warning: part directory does not exist and is skipped"))
        #expect(result.stdout == "Generated 1 jobs in jobs.csv\n")
    }

    @Test func scanFilesWithNoJobsWritesNothing() async throws {
        let root = try makeWorkspace(["tpl.csv": Self.csv([Self.row("", "Case")]), "a.inp": "", "b.inp": ""])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = try await CLIProcess.run(
            ["pur", "scan-files", "--primary", "*.inp", "--secondary", "*.mesh", "-t", "tpl.csv", "-o", "jobs.csv"],
            in: root
        )
        #expect(result.status == 65)
        #expect(
            result.stderr.contains("error: no jobs to write: none of the 2 primary files has its required files"),
            "\(result.stderr)"
        )
        #expect(result.stderr.contains("warning: skipped a.inp: required secondary file not found"), "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root).sorted() == ["a.inp", "b.inp", "tpl.csv"])
    }

    @Test func purPlanPrintsTheRowsThatLoadedThenEveryError() async throws {
        let root = try makeWorkspace([
            "jobs.csv": Self.csv([
                Self.row("Run_1", "a"), Self.row("Run_1", "b", cores: "four"), Self.row("Run_2", "c"),
            ]),
            "Run_1/in.txt": "1", "Run_2/in.txt": "2",
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = try await CLIProcess.run(["pur", "plan", "jobs.csv"], in: root)
        #expect(result.status == 65)
        #expect(result.stdout.hasPrefix("[1/3] ✓ a\n[2/3] ✗ b\n        - "), "\(result.stdout)")
        #expect(result.stdout.hasSuffix("[3/3] ✓ c\n"), "\(result.stdout)")
        #expect(result.stderr.contains("jobs.csv:3:"), "\(result.stderr)")
        #expect(result.stderr.contains("validation failed: one or more jobs have errors"))
    }

    @Test func makeScriptWritesEveryShippedRowAsAScriptThatReadsBackToTheSameJob() async throws {
        let example = PathName.join(RunWorkspace.repository.path, "examples/pur-basic")
        let work = try makeWorkspace([:], label: "make-script")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let csv = PathName.join(example, "jobs.csv")
        let jobs = try WorkflowLoader.load(path: csv, fileSystem: LocalFileSystem(currentDirectory: work)).workflow.jobs
        try #require(jobs.count == 3)
        for (index, job) in jobs.enumerated() {
            let name = "job_\(index + 1).sh"
            let made = try await CLIProcess.run(
                ["pur", "make-script", "-j", csv, "--row", String(index + 1), "-o", name],
                in: work
            )
            #expect(made.status == 0, "\(made.stderr)")
            #expect(made.stdout == "Wrote job '\(job.name)' to \(name)\n")
            let text = try String(contentsOfFile: PathName.join(work, name), encoding: .utf8)
            let script = JobScriptParser.parse(contents: text, path: name)
            #expect(script.diagnostics.isEmpty, "\(script.diagnostics)")
            let back = try script.makeJob(mode: .strict, directory: work)
            #expect(Self.scripted(back) == Self.scripted(job))
        }
        let again = try await CLIProcess.run(
            ["pur", "make-script", "-j", csv, "--row", "1", "-o", "job_1.sh"],
            in: work
        )
        #expect(again.status == 64 && again.stderr.contains("already exists"), "\(again.stderr)")
        let forced = try await CLIProcess.run(
            ["pur", "make-script", "-j", csv, "--row", "2", "-o", "job_1.sh", "--force"],
            in: work
        )
        #expect(forced.status == 0, "\(forced.stderr)")
        let missing = try await CLIProcess.run(["pur", "make-script", "-j", csv, "--row", "4", "-o", "x.sh"], in: work)
        #expect(missing.status == 65 && missing.stderr.contains("has 3 job rows, not 4"), "\(missing.stderr)")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: work).sorted() == ["job_1.sh", "job_2.sh", "job_3.sh"],
            "no temporary file is left"
        )
    }

    @Test func validateCompatReadsALegacyScriptWithALocatedWarningPerGuess() async throws {
        let root = try makeWorkspace([
            "legacy.sh": "#!/bin/bash\n#RESCALE_NAME legacy\n#RESCALE_WALLTIME 1.5\n./run.sh\n", "data.txt": "x",
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let strict = try await CLIProcess.run(["validate", "legacy.sh"], in: root)
        #expect(strict.status == 65)
        #expect(strict.stderr.contains("legacy.sh: error: missing required directive '#RESCALE_ANALYSIS'"))
        let compat = try await CLIProcess.run(["validate", "--compat", "legacy.sh"], in: root)
        #expect(compat.status == 0, "\(compat.stderr)")
        #expect(compat.stdout == "ok: 1 job, 0 shared inputs\n")
        #expect(
            compat.stderr.contains(
                "legacy.sh:3:19: warning: #RESCALE_WALLTIME value '1.5' is read as 1, as rescale-cli reads its leading "
                    + "digits"
            ),
            "\(compat.stderr)"
        )
        #expect(
            compat.stderr.contains("legacy.sh: warning: no '#RESCALE_CORES': using rescale-cli's default 'emerald'")
        )
    }

    /// A job without what a script cannot carry (its inputs, origin, organization, submit mode and output
    /// settings), its walltime in the whole hours the platform is sent.
    static func scripted(_ job: JobSpec) -> JobSpec {
        var job = job
        job.inputs = []
        job.origin = nil
        job.orgCode = nil
        job.submit = .submit
        job.outputs = OutputSpec()
        job.hardware.walltime = Walltime(hours: Double(job.hardware.walltime.apiHours))
        return job
    }
}

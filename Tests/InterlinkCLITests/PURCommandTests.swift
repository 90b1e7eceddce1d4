import ArgumentParser
import Foundation
import InterlinkCLI
import InterlinkCore
import InterlinkSystem
import InterlinkTestSupport
import Testing

@Suite struct PURCommandTests {
    static let template = """
        Directory,JobName,AnalysisCode,Command,CoreType,CoresPerSlot,WalltimeHours,Slots,LicenseSettings
        ,Run_1,user_included,cd Run_1 && ./run.sh data_001.txt,emerald,2,2.04,1,

        """

    /// A fresh temporary directory holding `files` (path → contents); directories end in `/`.
    static func makeDirectory(_ files: [String: String]) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("pur-cli-\(UUID().uuidString)").path
        for (path, contents) in files {
            let full = root + "/" + path
            if path.hasSuffix("/") {
                try FileManager.default.createDirectory(atPath: full, withIntermediateDirectories: true)
            } else {
                try FileManager.default.createDirectory(
                    atPath: (full as NSString).deletingLastPathComponent,
                    withIntermediateDirectories: true
                )
                try contents.write(toFile: full, atomically: true, encoding: .utf8)
            }
        }
        return root
    }

    static func parse<C: ParsableCommand>(_ arguments: [String], as type: C.Type) throws -> C {
        try #require(try InterlinkCommand.parseAsRoot(arguments) as? C)
    }

    @Test func makeDirsCSVWritesOneRowPerRunDirectory() throws {
        let root = try Self.makeDirectory([
            "tpl.csv": Self.template, "study/Run_2/": "", "study/Run_10/": "", "out/": "",
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let command = try Self.parse(
            [
                "pur", "make-dirs-csv", "-t", "tpl.csv", "-p", "study/Run_*", "-o", "out/jobs.csv",
                "--iterate-command-patterns",
            ],
            as: MakeDirsCSVCommand.self
        )
        let (output, warnings) = try command.execute(in: LocalFileSystem(currentDirectory: root))
        #expect(output == "Generated 2 jobs in out/jobs.csv\n")
        #expect(warnings.isEmpty)
        let rows = try JobsCSV.read(
            contents: String(contentsOfFile: root + "/out/jobs.csv", encoding: .utf8),
            path: "j"
        ).rows
        #expect(rows.map(\.directory) == ["../study/Run_2", "../study/Run_10"])
        #expect(rows.map(\.jobName) == ["Run_2", "Run_10"])
        #expect(rows.map(\.command) == ["cd Run_2 && ./run.sh data_002.txt", "cd Run_10 && ./run.sh data_010.txt"])
        #expect(rows.map(\.walltimeHours) == [2.04, 2.04])
    }

    @Test func neverReplacesAnExistingFileWithoutOverwrite() throws {
        let root = try Self.makeDirectory(["tpl.csv": Self.template, "Run_1/": "", "jobs.csv": "keep me"])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let fileSystem = LocalFileSystem(currentDirectory: root)
        let arguments = ["pur", "make-dirs-csv", "-t", "tpl.csv", "-p", "Run_*", "-o", "jobs.csv"]
        let refused = try #require(throws: CommandFailure.self) {
            try Self.parse(arguments, as: MakeDirsCSVCommand.self).execute(in: fileSystem)
        }
        #expect(refused.exitCode == 64)
        #expect(refused.description.hasPrefix("error: output file 'jobs.csv' already exists\n"))
        #expect(try String(contentsOfFile: root + "/jobs.csv", encoding: .utf8) == "keep me")
        _ = try Self.parse(arguments + ["--overwrite"], as: MakeDirsCSVCommand.self).execute(in: fileSystem)
        #expect(try String(contentsOfFile: root + "/jobs.csv", encoding: .utf8).hasPrefix("Directory,JobName"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: root).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }

    @Test func invalidTemplatesExitWith65AndLocatedDiagnostics() throws {
        let root = try Self.makeDirectory([
            "tpl.csv": Self.template.replacing(",2,2.04,", with: ",two,2.04,"), "Run_1/": "",
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let command = try Self.parse(
            ["pur", "make-dirs-csv", "-t", "tpl.csv", "-p", "Run_*", "-o", "jobs.csv"],
            as: MakeDirsCSVCommand.self
        )
        let failure = try #require(throws: CommandFailure.self) {
            try command.execute(in: LocalFileSystem(currentDirectory: root))
        }
        #expect(failure.exitCode == 65)
        #expect(failure.description.hasPrefix("tpl.csv:2:64: error: invalid CoresPerSlot 'two'\n"))
        #expect(!FileManager.default.fileExists(atPath: root + "/jobs.csv"))
    }

    @Test(arguments: [
        ["pur", "make-dirs-csv", "-t", "t.csv", "-p", "Run_*", "-o", "j.csv", "--part-dirs", "a", "b"],
        ["pur", "make-dirs-csv", "-t", "t.csv", "-p", "Run_*"],
        ["pur", "make-dirs-csv", "-p", "Run_*", "-o", "j.csv"],
        ["pur", "scan-files", "--primary", "*.inp", "extra"],
        ["pur", "scan-files", "--primary", "*.inp", "-t", "t.csv"],
    ])
    func rejectsUsageErrorsWithExitCode64(arguments: [String]) {
        #expect(throws: (any Error).self) {
            do {
                _ = try InterlinkCommand.parseAsRoot(arguments)
            } catch {
                #expect(InterlinkCommand.exitCode(for: error) == ExitCode(64))
                throw error
            }
        }
    }

    @Test func acceptsPartDirsAsACommaListOrRepeated() throws {
        let root = try Self.makeDirectory(["tpl.csv": Self.template, "A/Run_1/": "", "B/Run_1/": "", "C/Run_2/": ""])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let command = try Self.parse(
            [
                "pur", "make-dirs-csv", "-t", "tpl.csv", "-p", "Run_*", "-o", "j.csv", "--part-dirs", "A,B",
                "--part-dirs", "C",
            ],
            as: MakeDirsCSVCommand.self
        )
        _ = try command.execute(in: LocalFileSystem(currentDirectory: root))
        let rows = try JobsCSV.read(contents: String(contentsOfFile: root + "/j.csv", encoding: .utf8), path: "j").rows
        #expect(rows.map(\.jobName) == ["Run_1_A", "Run_1_B", "Run_2_C"])
    }

    @Test func commandPatternTestPrintsAPreviewAndWritesNothing() throws {
        let root = try Self.makeDirectory(["tpl.csv": Self.template])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let command = try Self.parse(
            ["pur", "make-dirs-csv", "-t", "tpl.csv", "-p", "Run_*", "--command-pattern-test"],
            as: MakeDirsCSVCommand.self
        )
        let (output, _) = try command.execute(in: LocalFileSystem(currentDirectory: root))
        #expect(output.contains("  10: cd Run_10 && ./run.sh data_010.txt\n"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root) == ["tpl.csv"])
    }

    @Test func scanFilesWritesRowsWithTheirFileLists() throws {
        let root = try Self.makeDirectory([
            "files/inputs/case_a.inp": "", "files/inputs/case_a.mesh": "", "files/inputs/case_b.inp": "",
            "files/common.cfg": "", "tpl.csv": Self.template.replacing("Run_1,", with: "Case,"),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let command = try Self.parse(
            [
                "pur", "scan-files", "-r", "files", "--primary", "inputs/*.inp", "--secondary", "*.mesh",
                "--secondary", "../common.cfg:optional", "-t", "tpl.csv", "-o", "jobs.csv",
            ],
            as: ScanFilesCommand.self
        )
        let (output, _) = try command.execute(in: LocalFileSystem(currentDirectory: root))
        #expect(output.contains("Total primary files found: 2\n  Jobs created: 1\n"))
        #expect(output.hasSuffix("Generated 1 jobs in jobs.csv\n"))
        let rows = try JobsCSV.read(contents: String(contentsOfFile: root + "/jobs.csv", encoding: .utf8), path: "j")
            .rows
        #expect(rows.map(\.jobName) == ["Case_1"])
        #expect(rows.first?.directory == "files")
        #expect(rows.first?.inputFiles == ["inputs/case_a.inp", "inputs/case_a.mesh", "common.cfg"])
    }

    @Test func scanFilesPrintsJSON() throws {
        let root = try Self.makeDirectory(["a.inp": "", "a.mesh": ""])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let command = try Self.parse(
            ["pur", "scan-files", "--primary", "*.inp", "--secondary", "*.mesh", "--json"],
            as: ScanFilesCommand.self
        )
        let (output, _) = try command.execute(in: LocalFileSystem(currentDirectory: root))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["Jobs", "TotalCount", "MatchCount", "SkippedFiles", "Warnings", "Error"])
        #expect(object["MatchCount"] as? Int == 1)
        #expect(object["SkippedFiles"] is NSNull)
    }

    @Test func helpShowsExamples() {
        let help = MakeDirsCSVCommand.helpMessage()
        #expect(help.contains("Examples:"))
        #expect(help.contains("--part-dirs"))
        #expect(ScanFilesCommand.helpMessage().contains("--secondary"))
        #expect(PURCommand.helpMessage().contains("make-dirs-csv"))
    }

    @Test(.tags(.integration)) func exampleRunScriptsWriteTheirResults() async throws {
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples/pur-basic").path
        let work = try Self.makeDirectory([:])
        defer { try? FileManager.default.removeItem(atPath: work) }
        for run in 1...3 {
            try FileManager.default.copyItem(atPath: "\(example)/Run_\(run)", toPath: "\(work)/Run_\(run)")
            let script = try await ChildProcess.run("/bin/sh", ["-c", "cd Run_\(run) && sh run.sh"], directory: work)
            #expect(script.status == 0, "\(script.stderrText)")
            let result = try String(contentsOfFile: "\(work)/Run_\(run)/result.txt", encoding: .utf8)
            #expect(result == "run Run_\(run): sum \(run * 15)\n")
        }
    }
}

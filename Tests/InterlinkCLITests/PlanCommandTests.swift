import ArgumentParser
import Foundation
import InterlinkCLI
import InterlinkCore
import InterlinkSystem
import Testing

@Suite struct PlanCommandTests {
    static let header =
        "Directory,JobName,AnalysisCode,Command,CoreType,CoresPerSlot,WalltimeHours,Slots,LicenseSettings"

    /// A study with two run directories and a valid jobs CSV.
    static func study(extraRows: String = "") throws -> String {
        try PURCommandTests.makeDirectory([
            "Run_1/in.txt": "12345", "Run_2/in.txt": "123", "empty/": "",
            "jobs.csv": "\(header)\nRun_1,Run_1,user_included,./run.sh,emerald,2,1.5,1,\n"
                + "Run_2,Run_2,user_included,./run.sh,onyx,4,2,1,\n\(extraRows)",
            "notes.txt": "not a spec",
            "flow.yaml": "version: 1\nshared-inputs:\n  data: {directory: Run_1}\njobs:\n"
                + "  - name: a\n    command: x\n    inputs: [{shared: data}]\n  - name: b\n    needs: [a]\n    command: y\n",
        ])
    }

    static func run<C: ParsableCommand>(_ arguments: [String], as type: C.Type) throws -> C {
        try #require(try InterlinkCommand.parseAsRoot(arguments) as? C)
    }

    @Test func validateSummarisesAValidSpec() throws {
        let root = try Self.study()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let fs = LocalFileSystem(currentDirectory: root)
        #expect(
            try Self.run(["validate", "jobs.csv"], as: ValidateCommand.self).execute(in: fs).output
                == "ok: 2 jobs, 0 shared inputs\n"
        )
        #expect(
            try Self.run(["validate", "flow.yaml"], as: ValidateCommand.self).execute(in: fs).output
                == "ok: 2 jobs, 1 shared input\n"
        )
    }

    @Test func validateFailsWith65AndEveryDiagnostic() throws {
        let root = try Self.study(extraRows: "missing,Run_1,user_included,./run.sh,emerald,2,1,1,\n")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let failure = try #require(throws: CommandFailure.self) {
            try Self.run(["validate", "jobs.csv"], as: ValidateCommand.self).execute(
                in: LocalFileSystem(currentDirectory: root)
            )
        }
        #expect(failure.exitCode == 65)
        #expect(failure.description.contains("jobs.csv:4:1: error: duplicate job name 'Run_1'\n"))
        #expect(failure.description.contains("jobs.csv:4:1: error: directory '\(root)/missing' does not exist\n"))
        let unknown = try #require(throws: CommandFailure.self) {
            try Self.run(["validate", "notes.txt"], as: ValidateCommand.self).execute(
                in: LocalFileSystem(currentDirectory: root)
            )
        }
        #expect(unknown.exitCode == 65)
        #expect(
            unknown.description.hasPrefix("notes.txt: error: cannot tell what kind of file 'notes.txt' is\n  help: ")
        )
    }

    @Test func planPrintsATableWithUploadsHardwareAndNeeds() throws {
        let root = try Self.study()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let fs = LocalFileSystem(currentDirectory: root)
        let table = try Self.run(["plan", "jobs.csv"], as: PlanCommand.self).execute(in: fs).output
        let lines = table.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(lines[0].hasPrefix("JOB    STAGES"))
        #expect(lines[1].contains("1 file, 5 B") && lines[1].contains("emerald 2x1 1h30m"))
        #expect(lines[2].contains("1 file, 3 B") && lines[2].contains("onyx 4x1 2h"))
        #expect(lines[3] == "2 jobs, 0 shared inputs; 2 uploads, 2 files, 8 B to upload")
        let flow = try Self.run(["plan", "flow.yaml"], as: PlanCommand.self).execute(in: fs).output
        #expect(flow.split(separator: "\n").contains { $0.hasPrefix("b ") && $0.hasSuffix("  a") })
    }

    @Test func planDotDrawsAnEdgePerDependency() throws {
        let root = try Self.study()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let dot = try Self.run(["plan", "flow.yaml", "--dot"], as: PlanCommand.self)
            .execute(in: LocalFileSystem(currentDirectory: root)).output
        #expect(dot.hasPrefix("digraph \"flow\" {\n"))
        #expect(dot.contains("  \"shared:data\" -> \"job:a\";\n"))
        #expect(dot.contains("  \"job:a\" -> \"job:b\";\n"))
        #expect(dot.contains("\"job:b\" [label=\"b\\ncreate submit poll download\", shape=box];"))
        #expect(dot.hasSuffix("}\n"))
        #expect(throws: (any Error).self) {
            try InterlinkCommand.parseAsRoot(["plan", "flow.yaml", "--dot", "--json"])
        }
    }

    @Test func purPlanMarksEachRow() throws {
        let root = try Self.study()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let fs = LocalFileSystem(currentDirectory: root)
        let result = try Self.run(["pur", "plan", "jobs.csv"], as: PURPlanCommand.self).execute(in: fs)
        #expect(result.output == "[1/2] ✓ Run_1\n[2/2] ✓ Run_2\n✓ Pipeline plan is valid\n")
        #expect(result.exitCode == 0)
        let flag = try Self.run(["pur", "plan", "-j", "jobs.csv"], as: PURPlanCommand.self).execute(in: fs)
        #expect(flag == result)
    }

    @Test func purPlanListsProblemsUnderTheirRowAndExits65() throws {
        let root = try Self.study(
            extraRows:
                "empty,Run_3,user_included,./run.sh,emerald,1,400,1,\nempty,Run_4,user_included,./run.sh,emerald,1,1,1,\n"
        )
        defer { try? FileManager.default.removeItem(atPath: root) }
        let fs = LocalFileSystem(currentDirectory: root)
        let unreadable = try Self.run(["pur", "plan", "jobs.csv"], as: PURPlanCommand.self).execute(in: fs)
        #expect(unreadable.exitCode == 65)
        // A wrong value does not hide the other rows' problems: every row is listed with all of its own.
        #expect(
            unreadable.output
                == "[1/4] ✓ Run_1\n[2/4] ✓ Run_2\n[3/4] ✗ Run_3\n"
                + "        - WalltimeHours '400' is more than the maximum of 336 hours\n"
                + "        - no files to archive in '\(root)/empty'\n"
                + "[4/4] ✗ Run_4\n        - no files to archive in '\(root)/empty'\n"
        )
        #expect(
            unreadable.diagnostics.map(\.message).contains("WalltimeHours '400' is more than the maximum of 336 hours")
        )

        try
            "\(Self.header)\nRun_1,Run_1,user_included,./run.sh,emerald,2,1.5,1,\nempty,Run_4,user_included,./run.sh,emerald,1,1,1,\n"
            .write(toFile: root + "/jobs.csv", atomically: true, encoding: .utf8)
        let result = try Self.run(["pur", "plan", "jobs.csv"], as: PURPlanCommand.self).execute(in: fs)
        #expect(result.output == "[1/2] ✓ Run_1\n[2/2] ✗ Run_4\n        - no files to archive in '\(root)/empty'\n")
        #expect(result.exitCode == 65)
        #expect(result.diagnostics.last?.message == "validation failed: one or more jobs have errors")
    }

    @Test func purPlanRefusesOtherKindsWith64() throws {
        let root = try Self.study()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = try Self.run(["pur", "plan", "flow.yaml"], as: PURPlanCommand.self)
            .execute(in: LocalFileSystem(currentDirectory: root))
        #expect(result.exitCode == 64)
        #expect(result.diagnostics.first?.message == "'flow.yaml' is not a jobs CSV")
    }

    @Test func everyNewCommandHasAnExampleInItsHelp() {
        for command in [ValidateCommand.self, PlanCommand.self, PURPlanCommand.self] as [any ParsableCommand.Type] {
            #expect(command.configuration.discussion.contains("Examples:"))
        }
    }
}

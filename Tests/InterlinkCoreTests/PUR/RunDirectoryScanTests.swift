import InterlinkCore
import InterlinkTestSupport
import Testing

@Suite struct RunDirectoryScanTests {
    static let template = JobsCSVRow(
        directory: "",
        jobName: "Run_1",
        analysisCode: "user_included",
        command: "cd Run_1 && ./solver -i mesh_001.cas -o result_1.dat -np 4",
        coreType: "emerald",
        coresPerSlot: 4,
        walltimeHours: 2.04
    )

    /// A tree of numbered run directories, with `.avg.fnc` files in the odd runs only.
    static func studyTree() -> InMemoryFileSystem {
        var fileSystem = InMemoryFileSystem(currentDirectory: "/work")
        for run in 1...5 { fileSystem.addFile("study/Run_\(run)/run.sh") }
        for run in [1, 3, 5] { fileSystem.addFile("study/Run_\(run)/post/out.avg.fnc") }
        fileSystem.addDirectory("study/Run_extra")
        fileSystem.addDirectory("study/.Run_hidden")
        fileSystem.addFile("study/Run_notes.txt")
        return fileSystem
    }

    static func scan(_ options: RunDirectoryScan.Options, template: String = "Run_1", in fileSystem: InMemoryFileSystem)
        throws -> [RunDirectoryScan.RunDirectory]
    {
        try RunDirectoryScan.scan(options, templateJobName: template, in: fileSystem)
    }

    @Test func makesTheRowsOfTheSingleModeExample() throws {
        let runs = try Self.scan(.init(pattern: "study/Run_*"), in: Self.studyTree())
        #expect(runs.map(\.path) == (1...5).map { "study/Run_\($0)" } + ["study/Run_extra"])
        #expect(runs.map(\.jobName) == (1...6).map { "Run_\($0)" })
        let rows = JobsCSVGeneration.rows(template: Self.template, runs: runs, iterateCommands: true)
        #expect(rows[3].command == "cd Run_4 && ./solver -i mesh_004.cas -o result_4.dat -np 4")
        #expect(rows[5].command == "cd Run_6 && ./solver -i mesh_006.cas -o result_6.dat -np 4")
        #expect(rows.allSatisfy { $0.walltimeHours == 2.04 })
        let plain = JobsCSVGeneration.rows(template: Self.template, runs: runs, iterateCommands: false)
        #expect(plain.allSatisfy { $0.command == Self.template.command })
    }

    @Test func keepsOnlyDirectoriesWithAFileMatchingTheValidationPattern() throws {
        let runs = try Self.scan(.init(pattern: "study/Run_*", validationPattern: "*.avg.fnc"), in: Self.studyTree())
        #expect(runs.map(\.jobName) == ["Run_1", "Run_3", "Run_5"])
    }

    @Test func makesTheRowsOfTheMultiPartExample() throws {
        var fileSystem = InMemoryFileSystem(currentDirectory: "/work")
        for run in [1, 2, 3] { fileSystem.addDirectory("doe/DOE_A/Simcodes/Powerflow/Run_\(run)") }
        for run in [1, 4] { fileSystem.addDirectory("doe/DOE_B/Simcodes/Powerflow/Run_\(run)") }
        fileSystem.addDirectory("doe/DOE_C")
        let options = RunDirectoryScan.Options(
            pattern: "Run_*",
            runSubpath: "Simcodes/Powerflow",
            partDirectories: ["doe/DOE_A", "doe/DOE_B", "doe/DOE_C"]
        )
        let runs = try Self.scan(options, template: "Sim", in: fileSystem)
        #expect(runs.map(\.jobName) == ["Sim_1_DOE_A", "Sim_2_DOE_A", "Sim_3_DOE_A", "Sim_1_DOE_B", "Sim_4_DOE_B"])
        #expect(runs.first?.path == "doe/DOE_A/Simcodes/Powerflow/Run_1")
        var template = Self.template
        template.command = "pf2ens -c Run_1_case.avg.fnc"
        let rows = JobsCSVGeneration.rows(template: template, runs: runs, iterateCommands: true)
        #expect(rows.map(\.command).last == "pf2ens -c Run_4_case.avg.fnc")
    }

    @Test func ordersNaturallyAndNumbersFromTheLastDigits() throws {
        var fileSystem = InMemoryFileSystem(currentDirectory: "/work")
        for name in ["Run_10", "Run_2", "DOE1_Run_5", "alpha", "beta"] { fileSystem.addDirectory("s/\(name)") }
        let runs = try Self.scan(.init(pattern: "s/*", startIndex: 100), in: fileSystem)
        #expect(runs.map(\.path) == ["s/DOE1_Run_5", "s/Run_2", "s/Run_10", "s/alpha", "s/beta"])
        #expect(runs.map(\.number) == [5, 2, 10, 103, 104])
    }

    @Test func reportsDirectoriesThatWouldShareAJobName() throws {
        var fileSystem = InMemoryFileSystem(currentDirectory: "/work")
        for name in ["Run_7", "Run_007", "Run_8"] { fileSystem.addDirectory("s/\(name)") }
        let error = try #require(throws: DiagnosticsError.self) {
            try Self.scan(.init(pattern: "s/Run_*"), in: fileSystem)
        }
        #expect(
            error.description
                == "error: job name 'Run_7' would be used for both 's/Run_7' and 's/Run_007'\n"
                + "  help: rename one of the directories, or leave one out with a narrower --pattern or --validation-pattern\n"
        )
        let twice = RunDirectoryScan.Options(pattern: "Run_*", partDirectories: ["p/A", "p/A"])
        fileSystem.addDirectory("p/A/Run_1")
        #expect(throws: DiagnosticsError.self) { try Self.scan(twice, in: fileSystem) }
    }

    @Test func followsDirectoryLinksAndSkipsHiddenOnes() throws {
        var fileSystem = InMemoryFileSystem(currentDirectory: "/work")
        fileSystem.addDirectory("/data/real")
        fileSystem.addSymlink("s/Run_1", target: "/data/real")
        fileSystem.addSymlink("s/Run_2", target: "/data/missing")
        fileSystem.addDirectory("s/.Run_3")
        #expect(try Self.scan(.init(pattern: "s/Run_*"), in: fileSystem).map(\.path) == ["s/Run_1"])
    }

    @Test func resolvesTheBaseFromCwdOrTheCurrentDirectory() throws {
        var fileSystem = Self.studyTree()
        fileSystem.addDirectory("/work/Run_9")
        #expect(try Self.scan(.init(pattern: "Run_*"), in: fileSystem).map(\.path) == ["Run_9"])
        let withCwd = RunDirectoryScan.Options(pattern: "elsewhere/Run_*", cwd: "study", validationPattern: "*.fnc")
        #expect(try Self.scan(withCwd, in: fileSystem).map(\.path) == ["study/Run_1", "study/Run_3", "study/Run_5"])
    }

    @Test func globsTheDirectoryPartToo() throws {
        var fileSystem = InMemoryFileSystem(currentDirectory: "/work")
        fileSystem.addDirectory("DOE_A/Run_1")
        fileSystem.addDirectory("DOE_B/Run_2")
        #expect(try Self.scan(.init(pattern: "DOE_*/Run_*"), in: fileSystem).map(\.jobName) == ["Run_1", "Run_2"])
    }

    @Test func explainsWhyNothingWasFound() throws {
        let fileSystem = Self.studyTree()
        let none = try #require(throws: DiagnosticsError.self) {
            try Self.scan(.init(pattern: "study/Case_*"), in: fileSystem)
        }
        #expect(none.diagnostics.first?.message == "no directories matched pattern 'study/Case_*'")
        let invalid = RunDirectoryScan.Options(pattern: "study/Run_*", validationPattern: "*.none")
        let noneValid = try #require(throws: DiagnosticsError.self) { try Self.scan(invalid, in: fileSystem) }
        #expect(
            noneValid.diagnostics.first?.message
                == "no directories matched pattern 'study/Run_*' with validation pattern '*.none'"
        )
        let subpath = RunDirectoryScan.Options(pattern: "study/Run_*", runSubpath: "Simcodes")
        let missing = try #require(throws: DiagnosticsError.self) { try Self.scan(subpath, in: fileSystem) }
        #expect(missing.diagnostics.first?.message == "subpath 'Simcodes' not found under 'study'")
        let parts = RunDirectoryScan.Options(pattern: "Run_*", partDirectories: ["nowhere"])
        let noParts = try #require(throws: DiagnosticsError.self) { try Self.scan(parts, in: fileSystem) }
        #expect(
            noParts.errors.first?.message == "no run directories found in any part directory for pattern 'Run_*'"
        )
        #expect(
            noParts.diagnostics.first?.description.hasPrefix("nowhere: warning: part directory does not exist") == true
        )
    }

    @Test(arguments: [("Run_1", "Run"), ("Sim", "Sim"), ("Run_10", "Run_10"), ("", "Job"), ("_1", "Job")])
    func derivesTheBaseName(template: String, base: String) {
        #expect(RunDirectoryScan.baseName(fromTemplate: template) == base)
    }

    @Test func rebasesRelativeDirectoriesOntoTheCSVFolder() {
        #expect(JobsCSVGeneration.rebase("study/Run_1", from: "/work", to: "/work") == "study/Run_1")
        #expect(JobsCSVGeneration.rebase("study/Run_1", from: "/work", to: "/work/study") == "Run_1")
        #expect(JobsCSVGeneration.rebase("study/Run_1", from: "/work", to: "/work/out") == "../study/Run_1")
        #expect(JobsCSVGeneration.rebase("/abs/Run_1", from: "/work", to: "/x") == "/abs/Run_1")
    }
}

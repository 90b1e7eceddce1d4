import InterlinkCore
import InterlinkTestSupport
import Testing

@Suite struct WorkflowLoaderTests {
    static let header = "Directory,JobName,AnalysisCode,Command,CoreType,CoresPerSlot,WalltimeHours,Slots,LicenseSettings"

    /// A project with two run directories and the files that describe them in every format.
    static func project() -> InMemoryFileSystem {
        var fs = InMemoryFileSystem(currentDirectory: "/work")
        fs.addFile("/work/p/Run_1/in.dat", contents: "12345")
        fs.addFile("/work/p/Run_2/in.dat", contents: "123")
        fs.addFile(
            "/work/p/jobs.csv",
            contents: "\(header)\nRun_1,Run_1,user_included,./run.sh,emerald,4,2,1,\nRun_2,Run_2,user_included,./run.sh,onyx,2,1.5,1,\n"
        )
        return fs
    }

    @Test func loadsAJobsCSVWithDirectoriesRelativeToTheCSV() throws {
        let loaded = try WorkflowLoader.load(path: "p/jobs.csv", fileSystem: Self.project())
        #expect(loaded.kind == .jobsCSV)
        #expect(loaded.workflow.name == "jobs")
        #expect(loaded.workflow.baseDirectory == "/work/p")
        #expect(loaded.workflow.jobs.map(\.name) == ["Run_1", "Run_2"])
        guard case .archive(let archive) = loaded.workflow.jobs.first?.inputs.first else {
            Issue.record("the first input is not an archive")
            return
        }
        #expect(archive.directory == "/work/p/Run_1")
        #expect(archive.compression == .none)
    }

    @Test func yamlImportsAJobsCSVWithDefaultsForEmptyCells() throws {
        var fs = Self.project()
        fs.addFile(
            "/work/p/sparse.csv",
            contents: "\(Self.header)\nRun_1,Run_1,,./run.sh,,4,,1,\n"
        )
        fs.addFile(
            "/work/p/workflow.yaml",
            contents: "version: 1\ndefaults:\n  core-type: onyx\n  walltime: 3h\n  env: {A: b}\njobs:\n  - from: sparse.csv\n    analysis: openfoam\n"
        )
        let loaded = try WorkflowLoader.load(path: "p/workflow.yaml", fileSystem: fs)
        let job = try #require(loaded.workflow.jobs.first)
        #expect(job.hardware.coreType == "onyx")
        #expect(job.analysis.code == "openfoam")
        #expect(job.hardware.walltime.hours == 3)
        #expect(job.environment == ["A": "b"])
        #expect(loaded.kind == .yaml)
    }

    @Test func csvValuesWinOverImportDefaults() throws {
        var fs = Self.project()
        fs.addFile("/work/p/workflow.yaml", contents: "version: 1\njobs:\n  - from: jobs.csv\n    core-type: onyx\n")
        let loaded = try WorkflowLoader.load(path: "p/workflow.yaml", fileSystem: fs)
        #expect(loaded.workflow.jobs.map(\.hardware.coreType) == ["emerald", "onyx"])
    }

    @Test func loadsAJobScriptStrictly() throws {
        var fs = Self.project()
        fs.addFile(
            "/work/p/Run_1/job",
            contents: "#!/bin/bash\n#RESCALE_NAME solo\n#RESCALE_ANALYSIS user_included\n#RESCALE_CORES emerald\n"
                + "#RESCALE_CORES_PER_SLOT 2\n#RESCALE_WALLTIME 4\n./run.sh\n"
        )
        let loaded = try WorkflowLoader.load(path: "p/Run_1/job", fileSystem: fs)
        #expect(loaded.kind == .jobScript)
        #expect(loaded.workflow.jobs.map(\.name) == ["solo"])
        #expect(loaded.workflow.jobs.first?.command == "./run.sh")

        fs.addFile("/work/p/Run_2/run.sh", contents: "#!/bin/bash\n./run.sh\n")
        let error = #expect(throws: DiagnosticsError.self) { try WorkflowLoader.load(path: "p/Run_2/run.sh", fileSystem: fs) }
        #expect(error?.errors.contains { $0.message == "missing required directive '#RESCALE_NAME'" } == true)
    }

    @Test func rejectsUnknownKindsWithTheAcceptedOnes() {
        var fs = Self.project()
        fs.addFile("/work/p/notes.txt", contents: "hello\n")
        let error = #expect(throws: DiagnosticsError.self) { try WorkflowLoader.load(path: "p/notes.txt", fileSystem: fs) }
        let diagnostic = error?.diagnostics.first
        #expect(diagnostic?.message == "cannot tell what kind of file 'p/notes.txt' is")
        #expect(diagnostic?.help?.contains(".csv") == true)
        #expect(diagnostic?.location?.file == "p/notes.txt")
    }

    @Test func reportsAMissingFile() {
        let error = #expect(throws: DiagnosticsError.self) {
            try WorkflowLoader.load(path: "p/none.yaml", fileSystem: Self.project())
        }
        #expect(error?.diagnostics.first?.message == "cannot read 'p/none.yaml': no such file")
    }

    @Test func plansInOneCallWithArchiveSizes() throws {
        let (plan, warnings) = try WorkflowPlanning.plan(path: "p/jobs.csv", fileSystem: Self.project())
        #expect(warnings.isEmpty)
        #expect(plan.jobs.map(\.name) == ["Run_1", "Run_2"])
        #expect(plan.jobs.map { $0.uploads.map(\.bytes) } == [[5], [3]])
        #expect(plan.jobs.first?.uploads.first?.name == "Run_1.tar")
        #expect(plan.jobs.first?.stages == [.tar, .encrypt, .upload, .register, .create, .submit, .poll, .download])
    }
}

@Suite struct ContentHashTests {
    @Test func doesNotDependOnWhereTheProjectIsCheckedOut() {
        func hash(root: String) -> String {
            let input = ArchiveInput(directory: "\(root)/examples/case")
            return ContentHash.of(input, baseDirectory: "\(root)/workflows")
        }
        #expect(hash(root: "/home/a/project") == hash(root: "/srv/ci/checkout/interlink"))
        let inside = ContentHash.of(ArchiveInput(directory: "/p/w/x"), baseDirectory: "/p/w")
        #expect(inside == ContentHash.of(ArchiveInput(directory: "/q/r/w/x"), baseDirectory: "/q/r/w"))
        #expect(inside != ContentHash.of(ArchiveInput(directory: "/p/w/y"), baseDirectory: "/p/w"))
    }
}

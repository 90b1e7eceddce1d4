import InterlinkCore
import InterlinkTestSupport
import Testing

@Suite struct WorkflowParserTests {
    static func parse(
        _ yaml: String,
        path: String = "flow.yaml",
        fileSystem: InMemoryFileSystem = InMemoryFileSystem(currentDirectory: "/w"),
        importer: FakeJobImporter = FakeJobImporter()
    ) throws -> Workflow {
        try WorkflowParser.parse(
            contents: yaml,
            path: path,
            baseDirectory: "/w",
            fileSystem: fileSystem,
            importer: importer
        )
    }

    @Test func readsSettingsSharedInputsDefaultsAndJobs() throws {
        let workflow = try Self.parse(
            """
            version: 1
            name: study
            platform: rescale
            settings:
              workers: {archive: 2, transfer: 8, api: 3}
              poll-interval: 1m30s
              attempts: {default: 2, upload: 5}
            shared-inputs:
              mesh: {directory: shared/mesh, include: ["**/*.msh"], compression: zstd}
              lic: {file: lic.dat, decompress: false}
              solver: {file-id: F123}
            defaults:
              analysis: openfoam
              analysis-version: "2312"
              core-type: onyx
              cores-per-slot: 8
              walltime: 90m
              env: {A: "1", B: "2"}
              license: {use-rescale-license: true, env: {LM_LICENSE_FILE: "27000@lic"}}
              tags: [cfd]
              outputs: {destination: "out/{job}"}
            jobs:
              - name: solve
                command: ./run
                slots: 2
                env: {B: "3"}
                low-priority: true
                submit: false
                project-id: P1
                org-code: acme
                automations: [auto1]
                inputs:
                  - case
                  - shared: mesh
                  - {file-id: F9, decompress: false}
                  - {directory: extra, exclude: ["*.log"], flatten: true, subpath: sub, files: [a, b/c]}
                outputs: {include: ["*.csv"], download: false}
                needs: [prep]
            """
        )
        #expect(workflow.name == "study")
        #expect(workflow.platform == .rescale)
        #expect(workflow.settings.workers == WorkerLimits(archive: 2, transfer: 8, api: 3))
        #expect(workflow.settings.pollIntervalSeconds == 90)
        #expect(workflow.settings.attempts(for: .upload) == 5)
        #expect(workflow.settings.attempts(for: .tar) == 2)
        #expect(workflow.sharedInputs.map(\.name) == ["mesh", "lic", "solver"])
        #expect(
            workflow.sharedInputs[0].source
                == .archive(ArchiveInput(directory: "/w/shared/mesh", include: ["**/*.msh"], compression: .zstd))
        )
        #expect(workflow.sharedInputs[1].source == .file(path: "/w/lic.dat", decompress: false))
        #expect(workflow.sharedInputs[2].source == .existing(ExistingFile(id: "F123")))
        let job = try #require(workflow.jobs.first)
        #expect(job.name == "solve")
        #expect(job.analysis == AnalysisSpec(code: "openfoam", version: "2312"))
        #expect(
            job.hardware == HardwareSpec(coreType: "onyx", coresPerSlot: 8, slots: 2, walltime: Walltime(hours: 1.5))
        )
        #expect(job.environment == ["A": "1", "B": "3", "LM_LICENSE_FILE": "27000@lic"])
        #expect(job.license.useRescaleLicense)
        #expect(job.tags == ["cfd"])
        #expect(job.isLowPriority)
        #expect(job.submit == .createOnly)
        #expect(job.projectID == "P1" && job.orgCode == "acme")
        #expect(job.automations == ["auto1"])
        #expect(
            job.inputs == [
                .archive(ArchiveInput(directory: "/w/case")),
                .shared(name: "mesh"),
                .existing(ExistingFile(id: "F9", decompress: false)),
                .archive(
                    ArchiveInput(
                        directory: "/w/extra",
                        exclude: ["*.log"],
                        flatten: true,
                        subpath: "sub",
                        files: ["a", "b/c"]
                    )
                ),
            ]
        )
        #expect(job.outputs == OutputSpec(include: ["*.csv"], destination: "out/{job}", download: false))
        #expect(job.needs == ["prep"])
        #expect(job.origin == SourceLocation(file: "flow.yaml", line: 23, column: 5))
    }

    @Test func jobsWithoutDefaultsGetBuiltInValues() throws {
        let job = try #require(try Self.parse("version: 1\njobs:\n  - {name: a, command: echo}\n").jobs.first)
        #expect(job.analysis.code == "user_included")
        #expect(
            job.hardware == HardwareSpec(coreType: "emerald", coresPerSlot: 1, slots: 1, walltime: Walltime(hours: 1))
        )
        #expect(job.outputs == .default)
        #expect(job.submit == .submit)
    }

    @Test func sweepSubstitutesEveryTemplatedField() throws {
        let workflow = try Self.parse(
            """
            version: 1
            jobs:
              - name: run-{mach}-{aoa}-{index:02}
                command: solve --mach {mach} --aoa {aoa}
                env: {MACH: "{mach}"}
                tags: ["aoa-{aoa}"]
                inputs:
                  - {directory: "cases/{mach}", include: ["*{aoa}*"], exclude: ["{mach}.log"]}
                outputs: {destination: "results/{mach}/{job}", include: ["{aoa}.csv"]}
                needs: ["mesh-{mach}"]
                matrix:
                  mach: [0.3, 0.5]
                  aoa: [0, 2]
                  exclude: [{mach: 0.5, aoa: 2}]
                  include: [{mach: 0.8, aoa: 4}]
            """
        )
        #expect(workflow.jobs.map(\.name) == ["run-0.3-0-01", "run-0.3-2-02", "run-0.5-0-03", "run-0.8-4-04"])
        let last = try #require(workflow.jobs.last)
        #expect(last.command == "solve --mach 0.8 --aoa 4")
        #expect(last.environment == ["MACH": "0.8"])
        #expect(last.tags == ["aoa-4"])
        #expect(
            last.inputs == [.archive(ArchiveInput(directory: "/w/cases/0.8", include: ["*4*"], exclude: ["0.8.log"]))]
        )
        #expect(last.outputs.destination == "results/0.8/{job}")
        #expect(last.outputs.include == ["4.csv"])
        #expect(last.needs == ["mesh-0.8"])
    }

    @Test func runDirectoriesComeInNaturalOrderWithTheirVariables() throws {
        var fileSystem = InMemoryFileSystem(currentDirectory: "/w")
        for name in ["Run_10", "Run_2", "Run_1", ".Run_9", "Run_x7y"] { fileSystem.addDirectory("/w/cases/\(name)") }
        fileSystem.addFile("/w/cases/Run_3", contents: "not a directory")
        let workflow = try Self.parse(
            """
            version: 1
            jobs:
              - directories: "cases/Run_*"
                name: "sim-{number}-{index}"
                command: "cd {path} && echo {dir}"
            """,
            fileSystem: fileSystem
        )
        #expect(workflow.jobs.map(\.name) == ["sim-1-1", "sim-2-2", "sim-10-3", "sim-7-4"])
        #expect(workflow.jobs[2].command == "cd cases/Run_10 && echo Run_10")
        #expect(workflow.jobs[2].inputs == [.archive(ArchiveInput(directory: "/w/cases/Run_10"))])
    }

    @Test func pathPatternsSupportDoubleStarAndSkipHiddenEntries() throws {
        var fileSystem = InMemoryFileSystem(currentDirectory: "/w")
        for path in ["a/run.sh", "a/b/run.sh", "a/.hidden/run.sh", "c/d/e/run.sh", "c/run.txt"] {
            fileSystem.addFile("/w/\(path)")
        }
        let pattern = try PathPattern("**/run.sh")
        #expect(
            pattern.matches(in: "/w", kind: .file, fileSystem: fileSystem) == [
                "a/b/run.sh", "a/run.sh", "c/d/e/run.sh",
            ]
        )
        #expect(try PathPattern("*").matches(in: "/w", kind: .directory, fileSystem: fileSystem) == ["a", "c"])
        #expect(
            try PathPattern("../c/*/e").matches(in: "/w/a", kind: .directory, fileSystem: fileSystem) == ["../c/d/e"]
        )
        #expect(try PathPattern("a/run.sh").matches(in: "/w", kind: .file, fileSystem: fileSystem) == ["a/run.sh"])
    }

    @Test func importsCSVWithEntryDefaultsThroughTheImporter() throws {
        let imported = JobSpec(
            name: "row1",
            analysis: AnalysisSpec(code: "x"),
            command: "go",
            hardware: HardwareSpec(coreType: "e", coresPerSlot: 1, walltime: Walltime(hours: 1))
        )
        let importer = FakeJobImporter(jobsByPath: ["/w/data/jobs.csv": [imported]])
        let workflow = try Self.parse(
            """
            version: 1
            defaults: {core-type: onyx, walltime: 2h}
            jobs:
              - from: data/jobs.csv
                walltime: 3h
                needs: [setup]
              - {name: setup, command: echo}
            """,
            importer: importer
        )
        #expect(workflow.jobs.map(\.name) == ["row1", "setup"])
        #expect(workflow.jobs[0].needs == ["setup"])
        let call = try #require(importer.calls.first)
        #expect(call.path == "/w/data/jobs.csv")
        #expect(call.location == SourceLocation(file: "flow.yaml", line: 4, column: 11))
        #expect(call.defaults.coreType == "onyx")
        #expect(call.defaults.walltime == Walltime(hours: 3))
    }

    @Test func importsJobScriptsWithTheirDirectoryAsInput() throws {
        var fileSystem = InMemoryFileSystem(currentDirectory: "/w")
        fileSystem.addFile(
            "/w/case_10/run.sh",
            contents: "#!/bin/sh\n#RESCALE_NAME ten\n#RESCALE_CORES_PER_SLOT 4\n./solve 10\n"
        )
        fileSystem.addFile("/w/case_2/run.sh", contents: "#!/bin/sh\n#$ -l rescale_walltime=3\n./solve 2\n")
        let workflow = try Self.parse(
            """
            version: 1
            defaults: {core-type: onyx, cores-per-slot: 2}
            jobs:
              - from: "case_*/run.sh"
            """,
            path: "flows/w.yaml",
            fileSystem: fileSystem
        )
        #expect(workflow.jobs.map(\.name) == ["case_2", "ten"])
        #expect(
            workflow.jobs[0].hardware == HardwareSpec(coreType: "onyx", coresPerSlot: 2, walltime: Walltime(hours: 3))
        )
        #expect(workflow.jobs[1].hardware.coresPerSlot == 4)
        #expect(workflow.jobs[1].command == "cd 'case_10' || exit 1\n./solve 10")
        #expect(workflow.jobs[1].inputs == [.archive(ArchiveInput(directory: "/w/case_10"))])
        #expect(workflow.jobs[1].origin == SourceLocation(file: "flows/case_10/run.sh"))
    }
}

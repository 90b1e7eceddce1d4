import Foundation
import InterlinkCore
import InterlinkSystem
import Testing

/// Every shipped example and workflow parses from the real file system, with the shape its README describes.
@Suite struct ShippedWorkflowTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    static func load(_ relativePath: String) throws -> Workflow {
        let path = PathName.join(root, relativePath)
        let fileSystem = LocalFileSystem(currentDirectory: root)
        return try WorkflowParser.parse(
            contents: fileSystem.readText(at: path),
            path: relativePath,
            baseDirectory: PathName.dirname(path),
            fileSystem: fileSystem,
            importer: NoCSVImporter()
        )
    }

    @Test(arguments: [
        "examples/yaml-sweep/workflow.yaml", "examples/dag-shared/workflow.yaml", "examples/sge-scripts/workflow.yaml",
        "workflows/sweep-study.yaml", "workflows/run-directories.yaml",
    ])
    func parsesAndStartsWithTheSchemaLine(path: String) throws {
        let workflow = try Self.load(path)
        #expect(!workflow.jobs.isEmpty)
        let text = try String(contentsOfFile: PathName.join(Self.root, path), encoding: .utf8)
        #expect(text.hasPrefix("# yaml-language-server: $schema="))
    }

    @Test func sweepExampleHasSixJobs() throws {
        let workflow = try Self.load("examples/yaml-sweep/workflow.yaml")
        #expect(
            workflow.jobs.map(\.name) == [
                "wing-m0.3-a0", "wing-m0.3-a4", "wing-m0.3-a8", "wing-m0.5-a0", "wing-m0.5-a4", "wing-m0.8-a2",
            ]
        )
    }

    @Test func dagExampleSharesOneInputAcrossThreeJobs() throws {
        let workflow = try Self.load("examples/dag-shared/workflow.yaml")
        #expect(workflow.sharedInputs.map(\.name) == ["mesh"])
        #expect(workflow.jobs.filter { $0.inputs.contains(.shared(name: "mesh")) }.count == 3)
        #expect(workflow.jobs.last?.needs == ["solve-coarse", "solve-fine"])
    }

    @Test func sgeScriptsLoadThroughTheWorkflowAndAlone() throws {
        let workflow = try Self.load("examples/sge-scripts/workflow.yaml")
        #expect(workflow.jobs.map(\.name) == ["case-1", "case-2", "case-3"])
        #expect(workflow.jobs.map(\.hardware.coresPerSlot) == [2, 4, 8])
        #expect(workflow.jobs.last?.hardware.walltime == Walltime(hours: 0.5))
        for index in 1...3 {
            let path = PathName.join(Self.root, "examples/sge-scripts/case_\(index)/run.sh")
            let script = JobScriptParser.parse(contents: try String(contentsOfFile: path, encoding: .utf8), path: path)
            let job = try script.makeJob(mode: .strict, directory: PathName.dirname(path))
            #expect(job.name == "case-\(index)")
            #expect(job.environment == ["CASE_ID": "\(index)"])
            #expect(script.diagnostics.isEmpty)
        }
    }

    @Test func runDirectoriesWorkflowFindsTheCasesAboveIt() throws {
        let workflow = try Self.load("workflows/run-directories.yaml")
        #expect(workflow.jobs.map(\.name) == ["dirs-1", "dirs-2", "dirs-3"])
        #expect(
            workflow.jobs.first?.inputs == [
                .archive(ArchiveInput(directory: PathName.join(Self.root, "examples/sge-scripts/case_1")))
            ]
        )
    }
}

import Foundation
import InterlinkCore
import InterlinkTestSupport
import Testing

/// `examples/pur-basic/jobs.csv` is exactly what `make-dirs-csv` makes of its template and `Run_*` directories,
/// and it reads back as valid jobs whose directories exist.
@Suite struct PURExampleTests {
    static let exampleDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples/pur-basic").path

    /// A copy of the example folder in memory, with the example folder as the current directory.
    static func mirror() throws -> InMemoryFileSystem {
        var fileSystem = InMemoryFileSystem(currentDirectory: exampleDirectory)
        let enumerator = try #require(FileManager.default.enumerator(atPath: exampleDirectory))
        while let relative = enumerator.nextObject() as? String {
            let path = exampleDirectory + "/" + relative
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                fileSystem.addDirectory(path)
            } else {
                fileSystem.addFile(path, contents: try String(contentsOfFile: path, encoding: .utf8))
            }
        }
        return fileSystem
    }

    @Test func jobsCSVIsWhatMakeDirsCSVGenerates() throws {
        let fileSystem = try Self.mirror()
        let template = try #require(
            try JobsCSV.read(
                contents: fileSystem.readText(at: "template.csv"),
                path: "template.csv",
                requiresDirectory: false
            ).rows.first
        )
        let runs = try RunDirectoryScan.scan(.init(pattern: "Run_*"), templateJobName: template.jobName, in: fileSystem)
        let rows = JobsCSVGeneration.rows(template: template, runs: runs, iterateCommands: true).map {
            var row = $0
            row.directory = JobsCSVGeneration.rebase(
                row.directory,
                from: Self.exampleDirectory,
                to: Self.exampleDirectory
            )
            return row
        }
        #expect(rows.map(\.directory) == ["Run_1", "Run_2", "Run_3"])
        #expect(try fileSystem.readText(at: "jobs.csv") == JobsCSV.render(rows))
    }

    @Test func jobsReadBackWithExistingRunDirectories() throws {
        let fileSystem = try Self.mirror()
        let jobs = try JobsCSV.parse(
            contents: fileSystem.readText(at: "jobs.csv"),
            path: "jobs.csv",
            baseDirectory: Self.exampleDirectory,
            options: JobsCSV.Options(homeDirectory: "/home/user")
        )
        #expect(jobs.map(\.command) == ["cd Run_1 && sh run.sh", "cd Run_2 && sh run.sh", "cd Run_3 && sh run.sh"])
        for job in jobs {
            guard case .archive(let archive) = job.inputs.first else {
                Issue.record("job \(job.name) has no archive input")
                continue
            }
            #expect(fileSystem.isDirectory(followingLinksAt: archive.directory))
            #expect(fileSystem.exists(PathName.join(archive.directory, "run.sh")))
            #expect(fileSystem.exists(PathName.join(archive.directory, "input.txt")))
        }
    }
}

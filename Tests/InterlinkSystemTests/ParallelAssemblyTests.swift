import Foundation
import InterlinkCore
import InterlinkSystem
import Testing

/// The parts of a plan made on several threads (a jobs CSV's directory look-ups, jobs' content hashes in
/// batches) give what one thread gives, in the same order.
@Suite struct ParallelAssemblyTests {
    @Test func aFanOutMapsEveryIndexInOrder() {
        let fanOut = ThreadFanOut(width: 4)
        for chunk in [1, 7, 64, 5000] {
            #expect(fanOut.map(1000, chunk: chunk) { $0 * 3 } == (0..<1000).map { $0 * 3 })
        }
        #expect(fanOut.map(0) { $0 }.isEmpty)
        #expect(SerialRunner().map(5, chunk: 2) { "\($0)" } == ["0", "1", "2", "3", "4"])
    }

    @Test func parallelPartsComeBackInPartOrder() {
        for count in [0, 1, 2, 7, 64] {
            #expect(ParallelParts.map(count) { $0 * $0 } == (0..<count).map { $0 * $0 })
        }
    }

    @Test func aJobsCSVsRowsReadWithThreadsAsWithoutDiagnosticsInFileOrder() {
        // 2,000 rows: blank ones, bad values (several in one row) and good ones, spread over every run of rows.
        var csv = "Directory,JobName,AnalysisCode,Command,CoreType,CoresPerSlot,WalltimeHours,Slots,LicenseSettings\n"
        for index in 0..<2000 {
            switch index % 7 {
            case 0: csv += ",,,,,,,,\n"
            case 3: csv += "runs/R\(index),Job_\(index),user_included,./run.sh,emerald,zero,-1,1,{bad\n"
            case 5: csv += "runs/R\(index),Job_\(index),user_included,./run.sh,emerald,2,1.5,1,\n\n"
            default:
                csv += "runs/R\(index),Job_\(index),user_included,\"./run.sh \(index), \"\"x\"\"\",emerald,1,1,1,\n"
            }
        }
        let plain = JobsCSV.readAll(contents: csv, path: "jobs.csv")
        for width in [2, 8] {
            let threaded = JobsCSV.readAll(contents: csv, path: "jobs.csv", parallelism: ThreadFanOut(width: width))
            #expect(threaded == plain)
        }
        #expect(plain.rows.count == 2000 - 286)
        #expect(plain.diagnostics.filter { $0.severity == .warning }.count == 286)
        #expect(plain.diagnostics.filter { $0.severity == .error }.count == 3 * 286)
        let lines = plain.diagnostics.compactMap { $0.location?.line }
        #expect(lines == lines.sorted())
    }

    /// A working directory with a CSV in `sub/`: directories only under the working directory, only under the
    /// CSV's folder, under both as two folders (ambiguous) and as one folder through a link, a missing one, two
    /// rows of one folder (a warning) and two that list their own files (no warning).
    private func makeTree() throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("pa-\(UUID().uuidString)").path
        let manager = FileManager.default
        for directory in ["runs/A", "sub/runs/B", "runs/C", "sub/runs/C", "runs/D", "sub/runs"] {
            try manager.createDirectory(atPath: "\(root)/\(directory)", withIntermediateDirectories: true)
        }
        try manager.createSymbolicLink(atPath: root + "/sub/runs/D", withDestinationPath: root + "/runs/D")
        return root
    }

    private func rows(_ directories: [String]) -> [JobsCSVRow] {
        var csv = "Directory,JobName,AnalysisCode,Command,CoreType,CoresPerSlot,WalltimeHours,Slots,LicenseSettings\n"
        for (index, directory) in directories.enumerated() {
            csv += "\(directory),Job_\(index),user_included,./run.sh,emerald,1,1,1,\n"
        }
        return JobsCSV.readAll(contents: csv, path: "sub/jobs.csv").rows
    }

    @Test func aJobsCSVsDirectoriesResolveWithThreadsAsWithout() throws {
        let root = try makeTree()
        defer { try? FileManager.default.removeItem(atPath: root) }
        var rows = rows(["runs/A", "runs/B", "runs/C", "runs/D", "runs/E", "runs/A", "runs/B", "runs/B", "/abs"])
        rows[6].inputFiles = ["one"]
        rows[7].inputFiles = ["two"]
        func resolve(_ parallelism: (any ParallelRunner)?) -> ([String], [String]) {
            let resolved = JobsCSV.DirectoryResolution(
                workingDirectory: root,
                csvDirectory: root + "/sub",
                options: JobsCSV.Options(homeDirectory: "/home/user"),
                fileSystem: FileSystemSnapshot(of: LocalFileSystem(currentDirectory: root)),
                parallelism: parallelism
            ).resolve(rows)
            return (resolved.rows.map(\.directory), resolved.diagnostics.map(\.description))
        }
        let plain = resolve(nil)
        #expect(
            plain.0 == [
                "\(root)/runs/A", "\(root)/sub/runs/B", "\(root)/runs/C", "\(root)/runs/D", "\(root)/runs/E",
                "\(root)/runs/A", "\(root)/sub/runs/B", "\(root)/sub/runs/B", "/abs",
            ]
        )
        #expect(plain.1.count == 2)
        #expect(plain.1.first?.contains("names two different folders") == true)
        #expect(plain.1.last?.contains("row 'Job_5' archives the same directory as row 'Job_0'") == true)
        for width in [1, 2, 4] {
            let parallel = resolve(ThreadFanOut(width: width))
            #expect(parallel.0 == plain.0)
            #expect(parallel.1 == plain.1)
        }
    }

    @Test func contentHashesMadeInBatchesOnThreadsAreThoseOfOneThread() throws {
        let root = try makeTree()
        defer { try? FileManager.default.removeItem(atPath: root) }
        var csv = "Directory,JobName,AnalysisCode,Command,CoreType,CoresPerSlot,WalltimeHours,Slots,LicenseSettings\n"
        for index in 1...9 {
            try FileManager.default.createDirectory(atPath: "\(root)/r/\(index)", withIntermediateDirectories: true)
            try Data("input \(index)\n".utf8).write(to: URL(fileURLWithPath: "\(root)/r/\(index)/in.txt"))
            csv += "r/\(index),Run_\(index),user_included,./run.sh \(index),emerald,1,1,1,\n"
        }
        // Two jobs archive the same folder: one shared node, whose hash the later job's listing names.
        csv += "r/3,Again,user_included,./run.sh,emerald,1,1,1,\n"
        try Data(csv.utf8).write(to: URL(fileURLWithPath: root + "/jobs.csv"))
        func plan(batch: Int, _ parallelism: (any ParallelRunner)?) throws -> String {
            let fileSystem = FileSystemSnapshot(of: LocalFileSystem(currentDirectory: root))
            let loaded = try WorkflowLoader.load(path: "jobs.csv", fileSystem: fileSystem, parallelism: parallelism)
            var planner = Planner(fileSystem: fileSystem, parallelism: parallelism)
            planner.hashBatchSize = batch
            return PlanReport(try planner.plan(loaded.workflow).plan).json()
        }
        let plain = try plan(batch: 4096, nil)
        let hashes = plain.components(separatedBy: "\"content-hash\"").count - 1
        #expect(hashes >= 10)
        for batch in [1, 3, 4096] {
            #expect(try plan(batch: batch, ThreadFanOut(width: 4)) == plain)
            #expect(try plan(batch: batch, nil) == plain)
        }
    }
}

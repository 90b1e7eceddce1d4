import InterlinkCore
import InterlinkTestSupport
import Synchronization
import Testing

/// A plan looks at each run directory once: one listing, no path asked twice, and the same plan, warnings and
/// digests whether the inputs are measured one at a time or several at once.
@Suite struct SharedWalkTests {
    static let header =
        "Directory,JobName,AnalysisCode,Command,CoreType,CoresPerSlot,WalltimeHours,Slots,LicenseSettings"

    /// A file system that passes every call to an in-memory one and counts the calls per kind and path; it can
    /// refuse to read chosen files, as an unreadable file on disk would.
    final class CountingFileSystem: FileSystem {
        let base: InMemoryFileSystem
        let unreadable: Set<String>
        let calls = Mutex<[String: Int]>([:])

        init(_ base: InMemoryFileSystem, unreadable: Set<String> = []) {
            self.base = base
            self.unreadable = unreadable
        }

        var currentDirectory: String { base.currentDirectory }
        var homeDirectory: String { base.homeDirectory }

        /// How many calls of a kind (`entry`, `stat`, `list`, `status`, `read`, `resolve`) a path got.
        func count(_ kind: String, _ path: String) -> Int { calls.withLock { $0["\(kind) \(path)", default: 0] } }

        /// Every counted call, `kind path` → count.
        var all: [String: Int] { calls.withLock { $0 } }

        private func record(_ kind: String, _ path: String) {
            let path = base.absolute(path, relativeTo: currentDirectory)
            calls.withLock { $0["\(kind) \(path)", default: 0] += 1 }
        }

        func entry(at path: String) -> FileEntry? {
            record("entry", path)
            return base.entry(at: path)
        }

        func isDirectory(followingLinksAt path: String) -> Bool {
            record("stat", path)
            return base.isDirectory(followingLinksAt: path)
        }

        func contentsOfDirectory(at path: String) throws(FileSystemError) -> [FileEntry] {
            record("list", path)
            return try base.contentsOfDirectory(at: path)
        }

        func contentsOfDirectoryWithStatus(at path: String) throws(FileSystemError) -> [ListedEntry] {
            record("list", path)
            return try base.contentsOfDirectoryWithStatus(at: path)
        }

        func readText(at path: String) throws(FileSystemError) -> String { try base.readText(at: path) }

        func status(at path: String) -> FileStatus? {
            record("status", path)
            return base.status(at: path)
        }

        func readChunks(at path: String, _ body: (UnsafeRawBufferPointer) -> Void) throws(FileSystemError) {
            record("read", path)
            if unreadable.contains(path) { throw FileSystemError(path: path, reason: "permission denied") }
            try base.readChunks(at: path, body)
        }

        func resolvingLinks(_ path: String) -> String {
            record("resolve", path)
            return base.resolvingLinks(path)
        }
    }

    /// A jobs CSV over `count` run directories (two files and an empty folder each), a shared folder named by two
    /// rows, a link inside a run directory and an empty run directory.
    static func project(count: Int) -> InMemoryFileSystem {
        var fs = InMemoryFileSystem(currentDirectory: "/work")
        var csv = header + "\n"
        for index in 1...count {
            fs.addFile("/work/p/runs/Run_\(index)/input.txt", contents: "value=\(index)\n")
            fs.addFile("/work/p/runs/Run_\(index)/deep/mesh.dat", contents: "mesh \(index)\n")
            fs.addDirectory("/work/p/runs/Run_\(index)/empty")
            csv += "runs/Run_\(index),Run_\(index),user_included,./run.sh,emerald,1,1,1,\n"
        }
        fs.addSymlink("/work/p/runs/Run_1/latest", target: "deep/mesh.dat")
        fs.addFile("/work/p/jobs.csv", contents: csv)
        return fs
    }

    @Test func eachRunDirectoryIsListedOnceAndNoPathAskedTwice() throws {
        let fs = CountingFileSystem(Self.project(count: 5))
        let (plan, _) = try WorkflowPlanning.plan(path: "p/jobs.csv", fileSystem: fs)
        #expect(plan.jobs.count == 5)
        for index in 1...5 {
            let run = "/work/p/runs/Run_\(index)"
            #expect(fs.count("list", run) == 1)
            #expect(fs.count("list", run + "/deep") == 1)
            // What the CSV's resolution, the validator, the planner and the manifest ask about the directory is
            // answered by one look at it (none for its files: the listing gave their status).
            #expect(fs.count("entry", run) + fs.count("stat", run) == 1)
            #expect(fs.count("status", run + "/input.txt") == 0)
            #expect(fs.count("read", run + "/input.txt") == 1)
            // Its links are resolved from its parent's resolved path.
            #expect(fs.count("resolve", run) == 0)
        }
        let repeated = fs.all.filter { $0.value > 1 }
        #expect(repeated.isEmpty, "asked more than once: \(repeated)")
    }

    @Test(arguments: [1, 3])
    func measuringSeveralInputsAtOnceGivesTheSamePlanDiagnosticsAndDigests(width: Int) throws {
        let unreadable: Set<String> = ["/work/p/runs/Run_2/input.txt"]
        func plan(_ parallelism: (any ParallelRunner)?) -> (String, [String], [String: StatCache.Entry]) {
            let fs = CountingFileSystem(Self.project(count: 4), unreadable: unreadable)
            let loaded: LoadedWorkflow
            do {
                loaded = try WorkflowLoader.load(path: "p/jobs.csv", fileSystem: fs)
            } catch {
                return ("load failed", error.diagnostics.map(\.description), [:])
            }
            var cache = StatCache()
            do {
                let planner = Planner(fileSystem: FileSystemSnapshot(of: fs), parallelism: parallelism)
                let planned = try planner.plan(loaded.workflow, statCache: &cache)
                return (PlanReport(planned.plan).json(), planned.warnings.map(\.description), cache.entries)
            } catch {
                return ("", error.diagnostics.map(\.description), cache.entries)
            }
        }
        let serial = plan(nil)
        let parallel = plan(SpreadRunner(width: width))
        #expect(parallel.0 == serial.0)
        #expect(parallel.1 == serial.1)
        #expect(serial.1.contains { $0.contains("cannot read input file '/work/p/runs/Run_2/input.txt'") })
        #expect(parallel.2 == serial.2)
        #expect(serial.2.count == 7)  // 4 × mesh.dat + 3 readable input.txt
    }

    @Test func aSnapshotAnswersAsItsFileSystemDoes() throws {
        var base = Self.project(count: 2)
        base.addSymlink("/work/p/alias", target: "runs")
        base.addFile("/work/p/file.txt", contents: "x")
        let snapshot = FileSystemSnapshot(of: base)
        let paths = [
            "/", "/work", "p", "p/runs", "p/runs/Run_1", "p/runs/Run_1/latest", "p/runs/Run_1/input.txt",
            "p/runs/Run_1/empty", "p/alias", "p/alias/Run_1", "p/missing", "p/missing/deeper", "p/file.txt/inside",
            "p/runs/Run_9",
        ]
        // Listed first, then asked: the listing's answers must equal the base's.
        _ = try snapshot.contentsOfDirectory(at: "p/runs/Run_1")
        for path in paths {
            #expect(snapshot.entry(at: path) == base.entry(at: path), "entry \(path)")
            #expect(
                snapshot.isDirectory(followingLinksAt: path) == base.isDirectory(followingLinksAt: path),
                "isDirectory \(path)"
            )
            #expect(snapshot.status(at: path) == base.status(at: path), "status \(path)")
            #expect(snapshot.resolvingLinks(path) == base.resolvingLinks(path), "resolve \(path)")
        }
    }
}

/// Makes the calls of a `forEach` in a scrambled order, as threads would finish them.
struct SpreadRunner: ParallelRunner {
    let width: Int

    func forEach(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        for start in (0..<width).reversed() { for index in stride(from: start, to: count, by: width) { body(index) } }
    }
}

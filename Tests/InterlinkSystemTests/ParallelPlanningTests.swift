import Foundation
import InterlinkCore
import InterlinkSystem
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Planning on the real file system with the shared walk and threads gives what the plain planner gives.
@Suite struct ParallelPlanningTests {
    /// A tricky project: nested and empty directories, links inside (to a file, to a directory, dangling), a FIFO
    /// (skipped with a warning), a run directory reached through a link and an empty one (an error).
    private func makeProject() throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("pp-\(UUID().uuidString)").path
        let manager = FileManager.default
        var csv = "Directory,JobName,AnalysisCode,Command,CoreType,CoresPerSlot,WalltimeHours,Slots,LicenseSettings\n"
        for index in 1...6 {
            let run = root + "/runs/Run_\(index)"
            try manager.createDirectory(atPath: run + "/deep/er", withIntermediateDirectories: true)
            try manager.createDirectory(atPath: run + "/empty", withIntermediateDirectories: true)
            try Data("input \(index)\n".utf8).write(to: URL(fileURLWithPath: run + "/input.txt"))
            try Data(repeating: UInt8(index), count: 70_000 * index).write(
                to: URL(fileURLWithPath: run + "/deep/er/big")
            )
            csv += "runs/Run_\(index),Run_\(index),user_included,./run.sh,emerald,1,1,1,\n"
        }
        try manager.createSymbolicLink(atPath: root + "/runs/Run_1/to-file", withDestinationPath: "input.txt")
        try manager.createSymbolicLink(atPath: root + "/runs/Run_2/to-dir", withDestinationPath: "deep")
        try manager.createSymbolicLink(atPath: root + "/runs/Run_3/dangling", withDestinationPath: "nowhere")
        #expect(mkfifo(root + "/runs/Run_4/pipe", 0o644) == 0)
        try manager.createSymbolicLink(atPath: root + "/linked", withDestinationPath: "runs/Run_5")
        csv += "linked,Linked,user_included,./run.sh,emerald,1,1,1,\n"
        try Data(csv.utf8).write(to: URL(fileURLWithPath: root + "/ok.csv"))
        try manager.createDirectory(atPath: root + "/runs/Run_0", withIntermediateDirectories: true)
        csv += "runs/Run_0,Run_0,user_included,./run.sh,emerald,1,1,1,\n"
        try Data(csv.utf8).write(to: URL(fileURLWithPath: root + "/jobs.csv"))
        return root
    }

    /// The plan JSON (or the diagnostics, loading's warnings first) and the digests, planned the old way: no
    /// snapshot, one input at a time.
    private func planPlainly(_ root: String, _ csv: String) throws -> (String, [String], [String: StatCache.Entry]) {
        let fileSystem = LocalFileSystem(currentDirectory: root)
        let loaded = try WorkflowLoader.load(path: csv, fileSystem: fileSystem)
        var cache = StatCache()
        do {
            let planned = try Planner(fileSystem: fileSystem).plan(loaded.workflow, statCache: &cache)
            let warnings = loaded.warnings + planned.warnings
            return (PlanReport(planned.plan).json(), warnings.map(\.description), cache.entries)
        } catch {
            return ("", (loaded.warnings + error.diagnostics).map(\.description), cache.entries)
        }
    }

    /// The same through `WorkflowPlanning` with a snapshot and `width` threads.
    private func planInParallel(
        _ root: String,
        _ csv: String,
        width: Int
    ) -> (String, [String], [String: StatCache.Entry]) {
        let store = Store()
        do {
            let planned = try WorkflowPlanning.plan(
                path: csv,
                fileSystem: LocalFileSystem(currentDirectory: root),
                statCacheStore: store,
                parallelism: ThreadFanOut(width: width)
            )
            return (PlanReport(planned.plan).json(), planned.warnings.map(\.description), store.entries)
        } catch {
            return ("", error.diagnostics.map(\.description), store.entries)
        }
    }

    /// How often each index was called.
    final class Calls: Sendable {
        let counts = Mutex([Int](repeating: 0, count: 1000))
    }

    /// Keeps what a plan saves.
    final class Store: StatCacheStore {
        let saved = Mutex<[String: StatCache.Entry]>([:])
        var entries: [String: StatCache.Entry] { saved.withLock { $0 } }
        func load(baseDirectory: String) -> StatCache { StatCache() }
        func save(_ cache: StatCache, baseDirectory: String) { saved.withLock { $0 = cache.entries } }
    }

    @Test func theSharedWalkWithThreadsPlansAsThePlainPlannerDoes() throws {
        let root = try makeProject()
        defer { try? FileManager.default.removeItem(atPath: root) }
        // The empty run directory is an error: both report it, with the same words, after the same warnings.
        let plain = try planPlainly(root, "jobs.csv")
        let parallel = planInParallel(root, "jobs.csv", width: 4)
        #expect(plain.0.isEmpty && plain.1.contains { $0.contains("no files to archive") })
        #expect(parallel.1 == plain.1)
        // Without it, the plans are equal byte for byte and every digest is the same.
        let plainPlan = try planPlainly(root, "ok.csv")
        #expect(plainPlan.1.contains { $0.contains("pipe") })  // the FIFO is skipped with a warning
        #expect(plainPlan.1.contains { $0.contains("archives the same directory") })  // the linked run
        // 6 × (input.txt + big), and the linked run's two files again under its own path.
        #expect(plainPlan.2.count == 14)
        for width in [1, 4] {
            let parallelPlan = planInParallel(root, "ok.csv", width: width)
            #expect(!plainPlan.0.isEmpty && parallelPlan.0 == plainPlan.0)
            #expect(parallelPlan.1 == plainPlan.1)
            #expect(parallelPlan.2 == plainPlan.2)
        }
    }

    @Test func archivesNamedOnceTwiceAndByASharedInputPlanAsThePlainPlannerDoes() throws {
        // The planner keeps only the measurements of archives named more than once: a job naming one directory
        // twice, two jobs sharing one, a shared input's directory that a job also names, and jobs of their own.
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("pp-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        for directory in ["solver", "mesh", "own-a", "own-b"] {
            try FileManager.default.createDirectory(atPath: "\(root)/\(directory)", withIntermediateDirectories: true)
            try Data("\(directory)\n".utf8).write(to: URL(fileURLWithPath: "\(root)/\(directory)/file.txt"))
        }
        let workflow = """
            version: 1
            shared-inputs:
              mesh:
                directory: mesh
            jobs:
              - name: twice
                inputs: [solver, solver, own-a]
                command: ls
              - name: shares
                inputs: [solver, mesh]
                command: ls
              - name: own
                inputs: [own-b, {shared: mesh}]
                command: ls

            """
        try Data(workflow.utf8).write(to: URL(fileURLWithPath: root + "/workflow.yaml"))
        let plain = try planPlainly(root, "workflow.yaml")
        #expect(!plain.0.isEmpty, "\(plain.1)")
        #expect(plain.2.count == 4)
        for width in [1, 4] {
            let parallel = planInParallel(root, "workflow.yaml", width: width)
            #expect(parallel.0 == plain.0)
            #expect(parallel.1 == plain.1)
            #expect(parallel.2 == plain.2)
        }
    }

    @Test func aListingGivesEachFilesStatusAsStatDoes() throws {
        let root = try makeProject()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let fs = LocalFileSystem(currentDirectory: root)
        let listed = try fs.contentsOfDirectoryWithStatus(at: "runs/Run_1")
        let entries = try fs.contentsOfDirectory(at: "runs/Run_1")
        let byPath: (FileEntry, FileEntry) -> Bool = { $0.path < $1.path }
        #expect(listed.map(\.entry).sorted(by: byPath) == entries.sorted(by: byPath))
        #expect(Set(listed.map(\.entry.name)) == ["deep", "empty", "input.txt", "to-file"])
        for item in listed {
            #expect(item.status == fs.status(at: item.entry.path), "\(item.entry.path)")
            #expect(item.entry == fs.entry(at: item.entry.path))
        }
    }

    @Test func aFanOutCallsEveryIndexOnce() {
        let calls = Calls()
        ThreadFanOut(width: 4).forEach(1000) { index in
            calls.counts.withLock { $0[index] += 1 }
        }
        #expect(calls.counts.withLock { $0 }.allSatisfy { $0 == 1 })
        ThreadFanOut(width: 4).forEach(0) { _ in Issue.record("no index to call") }
    }

    #if os(Linux)
    /// The threads a fan-out ran its calls on.
    final class Threads: Sendable {
        let seen = Mutex(Set<pthread_t>())
    }

    @Test func aFanOutAddsThreadsOnlyWhileItsCallsWait() {
        // Calls that sleep (give up the core twice each, as reads from a cold disk do): threads are added.
        let waiting = Threads()
        ThreadFanOut(width: 4, initialWidth: 1).forEach(48) { _ in
            usleep(500)
            usleep(500)
            waiting.seen.withLock { _ = $0.insert(pthread_self()) }
        }
        #expect(waiting.seen.withLock { $0.count } > 1)
        #expect(waiting.seen.withLock { $0.count } <= 4)
        // Calls that only compute stay on the threads it started with.
        let computing = Threads()
        let calls = Calls()
        ThreadFanOut(width: 4, initialWidth: 1).forEach(1000) { index in
            calls.counts.withLock { $0[index] = (0..<100).reduce(index, &+) }
            computing.seen.withLock { _ = $0.insert(pthread_self()) }
        }
        #expect(computing.seen.withLock { $0.count } == 1)
        #expect(calls.counts.withLock { $0[999] } == 999 + 4950)
    }

    @Test func callsThatSleepGrowToTheWaitWidthOnly() {
        let sleeping = Threads()
        ThreadFanOut(width: 8, initialWidth: 1, waitWidth: 2).forEach(48) { _ in
            usleep(500)
            usleep(500)
            sleeping.seen.withLock { _ = $0.insert(pthread_self()) }
        }
        #expect(sleeping.seen.withLock { $0.count } == 2)
    }

    @Test(.enabled(if: ColdFiles.deviceReadsAreCounted(), "the temporary directory's reads reach no counted device"))
    func callsThatReadFromTheDeviceGrowToTheFullWidth() throws {
        let files = try ColdFiles(count: 64)
        defer { files.remove() }
        files.evict()
        let reading = Threads()
        let sizes = Calls()
        ThreadFanOut(width: 8, initialWidth: 1, waitWidth: 2).forEach(files.paths.count) { index in
            sizes.counts.withLock { $0[index] = ColdFiles.read(files.paths[index]) }
            reading.seen.withLock { _ = $0.insert(pthread_self()) }
        }
        #expect(reading.seen.withLock { $0.count } > 2)
        #expect(reading.seen.withLock { $0.count } <= 8)
        #expect((0..<files.paths.count).allSatisfy { index in sizes.counts.withLock { $0[index] } == ColdFiles.size })
    }
    #endif
}

#if os(Linux)
/// Files in the temporary directory whose pages can be dropped from the page cache (`POSIX_FADV_DONTNEED` after
/// `fsync`), so that reading them again reads the device.
struct ColdFiles {
    static let size = 64 << 10
    let directory: String
    let paths: [String]

    init(count: Int) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cold-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        self.directory = directory
        paths = (0..<count).map { "\(directory)/file-\($0)" }
        for (index, path) in paths.enumerated() {
            try Data(repeating: UInt8(truncatingIfNeeded: index), count: Self.size).write(
                to: URL(fileURLWithPath: path)
            )
        }
    }

    /// Writes the files' pages out and drops them from the page cache.
    func evict() {
        for path in paths {
            let descriptor = open(path, O_RDONLY)
            guard descriptor >= 0 else { continue }
            fsync(descriptor)
            _ = posix_fadvise(descriptor, 0, 0, POSIX_FADV_DONTNEED)
            close(descriptor)
        }
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }

    /// Reads a file whole; the bytes read.
    static func read(_ path: String) -> Int {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return -1 }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var total = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { return count < 0 ? -1 : total }
            total += count
        }
    }

    /// Whether reading an evicted file here counts as a device read for the thread (not on tmpfs, or where the
    /// kernel keeps no I/O accounting).
    static func deviceReadsAreCounted() -> Bool {
        guard let files = try? ColdFiles(count: 1) else { return false }
        defer { files.remove() }
        files.evict()
        var before = rusage()
        var after = rusage()
        getrusage(__rusage_who_t(1), &before)
        _ = read(files.paths[0])
        getrusage(__rusage_who_t(1), &after)
        return after.ru_inblock > before.ru_inblock
    }
}
#endif

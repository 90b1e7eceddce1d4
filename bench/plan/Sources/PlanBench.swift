import Foundation
import InterlinkCore
import InterlinkSystem
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Times loading and planning large specs.
///
/// `plan-bench generate <dir> [count]` writes a jobs CSV over `count` run directories and a `count`-point sweep;
/// `plan-bench plan <spec>` loads and plans one spec (through the stat cache in `.interlink/stat-cache` beside
/// it) and prints its wall time and peak RSS, then on a second line the wall time of each phase (`plan
/// --timings`). `plan-bench floor <dir>` does only the file work a cold plan of the generated jobs CSV cannot avoid,
/// with nothing else: it looks at and lists every run directory, looks at every file in it and reads it (batched as
/// the plan reads them; `--one-by-one`: each with `read`), on 16 threads, and prints the time; beside a cold plan of
/// the same tree it is the machine's limit. `run.sh` runs each case in its
/// own process so the peak RSS belongs to that case alone.
@main
enum PlanBench {
    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        switch (arguments.first, arguments.dropFirst().first) {
        case ("generate", let directory?):
            let count = arguments.dropFirst(2).first.flatMap { Int($0) } ?? 10_000
            generate(in: directory, count: count)
        case ("plan", let spec?):
            plan(spec)
        case ("floor", let directory?):
            floor(directory, oneByOne: arguments.dropFirst(2).first == "--one-by-one")
        default:
            let usage =
                "usage: plan-bench generate <dir> [count] | plan-bench plan <spec> | plan-bench floor <dir> [--one-by-one]\n"
            FileHandle.standardError.write(Data(usage.utf8))
            exit(64)
        }
    }

    static func generate(in directory: String, count: Int) {
        let manager = FileManager.default
        var csv = "Directory,JobName,AnalysisCode,Command,CoreType,CoresPerSlot,WalltimeHours,Slots,LicenseSettings\n"
        for index in 1...count {
            let run = "runs/Run_\(index)"
            try? manager.createDirectory(atPath: "\(directory)/\(run)", withIntermediateDirectories: true)
            _ = manager.createFile(atPath: "\(directory)/\(run)/input.dat", contents: Data("case \(index)\n".utf8))
            csv += "\(run),Run_\(index),user_included,./run.sh \(index),emerald,2,1.5,1,\n"
        }
        _ = manager.createFile(atPath: "\(directory)/jobs.csv", contents: Data(csv.utf8))
        try? manager.createDirectory(atPath: "\(directory)/case", withIntermediateDirectories: true)
        _ = manager.createFile(atPath: "\(directory)/case/solve.sh", contents: Data("echo solve\n".utf8))
        let side = Int(Double(count).squareRoot().rounded(.up))
        let values = (1...side).map(String.init).joined(separator: ", ")
        let sweep = """
            version: 1
            defaults:
              inputs: [case]
            jobs:
              - name: "p-{a}-{b}"
                command: sh solve.sh {a} {b}
                matrix:
                  a: [\(values)]
                  b: [\(values)]

            """
        _ = manager.createFile(atPath: "\(directory)/sweep.yaml", contents: Data(sweep.utf8))
        print("generated \(count) run directories, jobs.csv and a \(side * side)-point sweep.yaml in \(directory)")
    }

    static func plan(_ spec: String) {
        let start = DispatchTime.now().uptimeNanoseconds
        // PLAN_BENCH_THREADS: how many threads list and hash the inputs (the CLI's default when unset; 1: serial).
        let threads =
            ProcessInfo.processInfo.environment["PLAN_BENCH_THREADS"].flatMap { Int($0) }.map { max($0, 1) }
            ?? ThreadFanOut.defaultWidth
        let fileSystem = LocalFileSystem()
        let store = CountingStore()
        let timeline = PlanningTimeline.system()
        let outcome: String
        do throws(DiagnosticsError) {
            let (plan, warnings) = try WorkflowPlanning.plan(
                path: spec,
                fileSystem: fileSystem,
                statCacheStore: store,
                parallelism: ThreadFanOut(
                    width: threads,
                    initialWidth: ProcessInfo.processInfo.environment["PLAN_BENCH_INITIAL_THREADS"].flatMap { Int($0) }
                ),
                timeline: timeline
            )
            outcome =
                "\(plan.jobs.count) jobs, \(warnings.count) warnings, \(store.reads.withLock { $0 }) files read "
                + "(\(LocalFileSystem.batchedReads.load(ordering: .relaxed)) in batches)"
        } catch {
            outcome = "failed: \(error.errors.first?.message ?? "?")"
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        var usage = rusage()
        #if canImport(Darwin)
        getrusage(RUSAGE_SELF, &usage)
        let peak = Double(usage.ru_maxrss) / 1_048_576
        #else
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        let peak = Double(usage.ru_maxrss) / 1024
        #endif
        let cpu =
            Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        let line = String(
            format: "%@: %@, wall %.3f s, cpu %.3f s, peak RSS %.1f MiB",
            PathName.basename(spec),
            outcome,
            seconds,
            cpu,
            peak
        )
        print(line)
        let phases = timeline.phases.map { "\($0.name) \(String(format: "%.3f", $0.wall))" }
        print("    phases (wall s): " + phases.joined(separator: ", "))
    }

    /// Does only the file work a cold plan of the generated jobs CSV cannot avoid, on 16 threads, and prints the
    /// wall and CPU time.
    ///
    /// It looks at each directory under `<directory>/runs`, lists it, looks at each file in it and reads it, in
    /// groups of 64 directories whose files are read together as the plan reads them
    /// (`LocalFileSystem.readChunks(ofFilesAt:)`: one io_uring submission for up to 32 files). With `oneByOne`
    /// each file is read with `read` on its own instead (the floor printed before the plan batched its reads).
    static func floor(_ directory: String, oneByOne: Bool) {
        let timeline = PlanningTimeline.system()  // the clocks `plan` reports its phases with
        let runs = directory + "/runs"
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: runs)) ?? []).sorted()
        let files = Atomic(0)
        let bytes = Atomic(0)
        let group = 64
        ThreadFanOut(width: 16, initialWidth: 16).forEach((names.count + group - 1) / group) { groupIndex in
            var found: [String] = []
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            for index in (groupIndex * group)..<min(names.count, (groupIndex + 1) * group) {
                let path = runs + "/" + names[index]
                var directoryStatus = stat()
                guard lstat(path, &directoryStatus) == 0, let listing = opendir(path) else { continue }
                defer { closedir(listing) }
                let descriptor = dirfd(listing)
                while let entry = readdir(listing) {
                    let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
                    }
                    guard name != ".", name != ".." else { continue }
                    var status = stat()
                    guard fstatat(descriptor, name, &status, AT_SYMLINK_NOFOLLOW) == 0,
                        status.st_mode & S_IFMT == S_IFREG
                    else { continue }
                    guard oneByOne else {
                        found.append(path + "/" + name)
                        continue
                    }
                    let file = openat(descriptor, name, O_RDONLY | O_CLOEXEC)
                    guard file >= 0 else { continue }
                    var total = 0
                    while true {
                        let count = buffer.withUnsafeMutableBytes { read(file, $0.baseAddress, $0.count) }
                        guard count > 0 else { break }
                        total += count
                    }
                    close(file)
                    files.add(1, ordering: .relaxed)
                    bytes.add(total, ordering: .relaxed)
                }
            }
            guard !found.isEmpty else { return }
            var total = 0
            let failures = LocalFileSystem().readChunks(ofFilesAt: found) { _, chunk in total += chunk.count }
            files.add(failures.count { $0 == nil }, ordering: .relaxed)
            bytes.add(total, ordering: .relaxed)
        }
        timeline.end("floor")
        let measured = timeline.phases[0]
        print(
            String(
                format: "floor%@: %d directories listed, %d files looked at and read (%d bytes), "
                    + "wall %.3f s, cpu %.3f s",
                oneByOne ? " (one file at a time)" : "",
                names.count,
                files.load(ordering: .relaxed),
                bytes.load(ordering: .relaxed),
                measured.wall,
                measured.cpu
            )
        )
    }
}

/// The stat cache file, counting the files the plan read (a plan that read none does not save).
final class CountingStore: StatCacheStore {
    let file = StatCacheFile(createsDirectory: true)
    let reads = Mutex(0)

    func load(baseDirectory: String) -> StatCache { file.load(baseDirectory: baseDirectory) }

    func save(_ cache: StatCache, baseDirectory: String) {
        reads.withLock { $0 = cache.contentReads }
        file.save(cache, baseDirectory: baseDirectory)
    }
}

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
/// it) and prints its wall time and peak RSS. `run.sh` runs each case in its own process so the peak RSS belongs
/// to that case alone.
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
        default:
            FileHandle.standardError.write(
                Data("usage: plan-bench generate <dir> [count] | plan-bench plan <spec>\n".utf8)
            )
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
        let outcome: String
        do throws(DiagnosticsError) {
            let (plan, warnings) = try WorkflowPlanning.plan(
                path: spec,
                fileSystem: fileSystem,
                statCacheStore: store,
                parallelism: ThreadFanOut(
                    width: threads,
                    initialWidth: ProcessInfo.processInfo.environment["PLAN_BENCH_INITIAL_THREADS"].flatMap { Int($0) }
                )
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

import Foundation
import InterlinkCLI
import InterlinkCore
import InterlinkSystem
import Synchronization
import Testing

/// `plan --timings`: every phase of loading and planning, in order, with its wall-clock and CPU time.
@Suite struct PlanTimingsTests {
    /// A clock that moves one second of wall time and two of CPU time per reading.
    static func steppingTimeline() -> PlanningTimeline {
        let readings = Mutex(0)
        return PlanningTimeline {
            let count = readings.withLock { count in
                count += 1
                return count
            }
            return (wall: Double(count), cpu: Double(2 * count))
        }
    }

    @Test func aJobsCSVPlanEndsEveryPhaseInOrderAndCountsTheFilesRead() throws {
        let root = try PlanCommandTests.study()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let timeline = Self.steppingTimeline()
        let command = try PlanCommandTests.run(["plan", "jobs.csv", "--timings"], as: PlanCommand.self)
        let plain = try PlanCommandTests.run(["plan", "jobs.csv"], as: PlanCommand.self)
        let output = try command.execute(in: LocalFileSystem(currentDirectory: root), timeline: timeline).output
        // The plan itself is the same with timings: they go to stderr.
        #expect(output == (try plain.execute(in: LocalFileSystem(currentDirectory: root)).output))
        #expect(
            timeline.phases.map(\.name) == [
                "read the jobs CSV", "look up the run directories", "make the jobs", "load the stat cache",
                "check the jobs", "list and hash the inputs", "plan the jobs", "order the jobs", "save the stat cache",
            ]
        )
        #expect(timeline.phases.allSatisfy { $0.wall == 1 && $0.cpu == 2 })
        // Run_1/in.txt and Run_2/in.txt, whose digests are then saved (where a stat cache directory exists).
        #expect(timeline.filesRead == 2)
        let text = timeline.rendered()
        #expect(text.hasPrefix("where the time went"))
        #expect(text.contains("\n  read the jobs CSV             1.000 s   2.000 s\n"), "\(text)")
        #expect(text.contains("\n  total                         9.000 s  18.000 s\n"), "\(text)")
        #expect(text.hasSuffix("\n2 input files read (the rest known from the stat cache)\n"), "\(text)")
    }

    @Test func aWorkflowPlanStartsWithItsExpansion() throws {
        let root = try PlanCommandTests.study()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let timeline = Self.steppingTimeline()
        _ = try PlanCommandTests.run(["plan", "flow.yaml"], as: PlanCommand.self)
            .execute(in: LocalFileSystem(currentDirectory: root), timeline: timeline)
        #expect(
            timeline.phases.map(\.name) == [
                "read and expand the workflow", "load the stat cache", "check the jobs", "list and hash the inputs",
                "plan the jobs", "order the jobs", "save the stat cache",
            ]
        )
        #expect(timeline.filesRead == 1)
    }

    @Test func aSecondPlanReadsNothingThroughTheStatCache() throws {
        let root = try PlanCommandTests.study()
        defer { try? FileManager.default.removeItem(atPath: root) }
        // Files older than the stat cache's racy window, so the second plan may trust the first plan's digests.
        let old = Date().addingTimeInterval(-10)
        for file in ["Run_1/in.txt", "Run_2/in.txt"] {
            try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: root + "/" + file)
        }
        let first = Self.steppingTimeline()
        let second = Self.steppingTimeline()
        let fileSystem = LocalFileSystem(currentDirectory: root)
        for timeline in [first, second] {
            _ = try WorkflowPlanning.plan(
                path: "jobs.csv",
                fileSystem: fileSystem,
                statCacheStore: StatCacheFile(createsDirectory: true),
                parallelism: ThreadFanOut(),
                timeline: timeline
            )
        }
        #expect(first.filesRead == 2)
        #expect(first.phases.last?.name == "save the stat cache")
        #expect(second.filesRead == 0)
        #expect(second.phases.last?.name == "order the jobs")
    }

    @Test func theSystemClockMovesForward() {
        let timeline = PlanningTimeline.system()
        var spin = 0
        for index in 0..<200_000 { spin &+= index }
        #expect(spin > 0)
        timeline.end("spin")
        let phase = timeline.phases[0]
        #expect(phase.wall > 0 && phase.cpu > 0 && phase.wall < 60)
    }

    @Test func theCommandPrintsThePhasesOnStandardError() async throws {
        let root = try PlanCommandTests.study()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let timed = try await CLIProcess.run(["plan", "jobs.csv", "--timings"], in: root)
        let plain = try await CLIProcess.run(["plan", "jobs.csv"], in: root)
        #expect(timed.status == 0, "\(timed.stderr)")
        #expect(timed.stdout == plain.stdout)
        #expect(!plain.stderr.contains("where the time went"))
        let lines = timed.stderr.split(separator: "\n").map(String.init)
        let names = lines.dropFirst().compactMap { line -> String? in
            guard line.hasPrefix("  ") else { return nil }
            return line.dropFirst(2).components(separatedBy: "  ").first
        }
        #expect(
            names == [
                "read the jobs CSV", "look up the run directories", "make the jobs", "load the stat cache",
                "check the jobs", "list and hash the inputs", "plan the jobs", "order the jobs", "save the stat cache",
                "total",
            ],
            "\(timed.stderr)"
        )
        #expect(lines.first?.hasPrefix("where the time went") == true)
        #expect(lines.last == "2 input files read (the rest known from the stat cache)")
    }
}

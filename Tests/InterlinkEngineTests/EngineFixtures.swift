import Foundation
import InterlinkCore
import InterlinkEngine
import InterlinkTestSupport
import Synchronization

/// Plans and engines for the engine tests.
enum EngineFixtures {
    /// A unique temporary base directory.
    static func temporaryDirectory() -> String {
        let path = NSTemporaryDirectory() + "interlink-engine-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func job(_ name: String, shared: [String] = [], needs: [String] = [], submit: SubmitMode = .submit)
        -> JobSpec
    {
        JobSpec(
            name: name,
            analysis: AnalysisSpec(code: "user_included", version: nil),
            command: "./run.sh",
            hardware: HardwareSpec(coreType: "emerald", coresPerSlot: 4, walltime: Walltime(hours: 1)),
            submit: submit,
            inputs: [.archive(ArchiveInput(directory: "/data/\(name)"))] + shared.map { .shared(name: $0) },
            needs: needs
        )
    }

    static func jobNode(_ job: JobSpec, hash: String = "h1") -> PlanNode {
        PlanNode(
            id: .job(job.name),
            kind: .job(job),
            stages: StageKind.allCases,
            dependencies: job.inputs.compactMap { if case .shared(let name) = $0 { NodeID.shared(name) } else { nil } }
                + job.needs.map { NodeID.job($0) },
            uploads: [
                PlannedUpload(
                    name: "\(job.name).tar",
                    source: .archive(ArchiveInput(directory: "/data/\(job.name)")),
                    decompress: true,
                    fileCount: 3,
                    bytes: 1000
                )
            ],
            existingFiles: [],
            contentHash: "\(job.name)-\(hash)"
        )
    }

    /// Three jobs: `a` and `b` use the shared input `mesh`; `c` needs `a`.
    static func threeJobPlan(baseDirectory: String, hashes: [String: String] = [:], attempts: Int = 3) -> Plan {
        let mesh = SharedInputSpec(name: "mesh", source: .file(path: "/data/mesh.bin", decompress: false))
        let sharedNode = PlanNode(
            id: .shared("mesh"),
            kind: .sharedInput(mesh),
            stages: [.upload, .register],
            dependencies: [],
            uploads: [
                PlannedUpload(
                    name: "mesh.bin",
                    source: .file(path: "/data/mesh.bin"),
                    decompress: false,
                    fileCount: 1,
                    bytes: 5000
                )
            ],
            existingFiles: [],
            contentHash: "mesh-1"
        )
        let jobs = [job("a", shared: ["mesh"]), job("b", shared: ["mesh"]), job("c", needs: ["a"])]
        var settings = WorkflowSettings.default
        settings.defaultAttempts = attempts
        settings.pollIntervalSeconds = 5
        return Plan(
            workflow: "study",
            source: "study.yaml",
            baseDirectory: baseDirectory,
            platform: .local,
            settings: settings,
            nodes: [sharedNode] + jobs.map { jobNode($0, hash: hashes[$0.name] ?? "h1") }
        )
    }

    static func configuration(
        _ plan: Plan,
        platform: FakePlatform,
        run: RunID = RunID("run-1"),
        events: any EventSink = DiscardingEventSink(),
        stop: StopSignal = StopSignal(),
        crashAfter: Int? = nil,
        clock: TestClock = TestClock()
    ) -> EngineConfiguration {
        EngineConfiguration(
            plan: plan,
            runID: run,
            platform: platform,
            clock: clock,
            events: events,
            stop: stop,
            jitter: { 0.5 },
            crashPoint: crashAfter.map { CrashPoint(afterRecord: $0, action: .closeJournal) }
        )
    }
}

/// An event sink that keeps every event.
final class RecordingSink: EventSink {
    private let storage = Mutex<[EngineEvent]>([])

    var events: [EngineEvent] { storage.withLock { $0 } }

    func receive(_ event: EngineEvent) { storage.withLock { $0.append(event) } }
}

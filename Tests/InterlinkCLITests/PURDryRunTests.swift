import InterlinkCLI
import InterlinkCore
import InterlinkEngine
import Testing

/// `PURDryRun`'s per-node decision from a journaled node state, branch by branch, with no I/O.
@Suite struct PURDryRunTests {
    static let node = PlanNode(
        id: .job("A"),
        kind: .job(
            JobSpec(
                name: "A",
                analysis: AnalysisSpec(code: "user_included"),
                command: "true",
                hardware: HardwareSpec(coreType: "emerald", coresPerSlot: 1, walltime: Walltime(hours: 1))
            )
        ),
        stages: [.upload, .register, .create, .submit, .poll, .download],
        dependencies: [],
        uploads: [PlannedUpload(name: "A.tar", source: .file(path: "/a"), decompress: true, fileCount: 1, bytes: 3)],
        existingFiles: [],
        contentHash: "h"
    )

    /// A node state whose steps up to `stage` (excluded) succeeded, with the job created as `J1`.
    static func state(doneBefore stage: StageKind) -> NodeState {
        var state = NodeState(id: node.id, name: "A", contentHash: "h")
        let steps: [(StepRef, StageKind)] = [
            (StepRef(.upload, item: "0"), .upload), (StepRef(.register, item: "0"), .register),
            (StepRef(.create), .create), (StepRef(.submit), .submit), (StepRef(.poll), .poll),
            (StepRef(.download), .download),
        ]
        for (step, kind) in steps where kind < stage {
            state[step].phase = .succeeded
            if kind == .create { state[step].jobID = JobID("J1") }
        }
        return state
    }

    @Test(arguments: [
        (StageKind.register, "would resume at register (A.tar is uploaded)"),
        (.create, "would be created and submitted"),
        (.submit, "job J1 is created: would be submitted"),
        (.poll, "job J1 is submitted: would be followed to the end"),
        (.download, "job J1 has ended: would download its outputs"),
    ])
    func aNodeContinuesAtItsFirstUnfinishedStep(stage: StageKind, message: String) {
        let entry = PURDryRun.progress(Self.node, state: Self.state(doneBefore: stage), retried: false)
        #expect(entry.action == .resume)
        #expect(entry.stage == stage.rawValue)
        #expect(entry.message == message)
    }

    @Test func aFinishedNodeHasNothingToDoAFailedJobIsRetriedAndAStoppedOneLeftAlone() {
        var done = Self.state(doneBefore: .download)
        done[StepRef(.download)].phase = .succeeded
        #expect(PURDryRun.progress(Self.node, state: done, retried: false).message == "done, nothing to do")
        done.jobStatus = .failed(reason: "exit 2")
        let retried = PURDryRun.progress(Self.node, state: done, retried: true)
        #expect(retried.action == .retry && retried.message.hasPrefix("job J1 ended "), "\(retried)")
        done.stoppedJob = JobID("J1")
        let stopped = PURDryRun.progress(Self.node, state: done, retried: false)
        #expect(stopped.action == .leave && stopped.message.contains("left alone"))
    }

    @Test func anInFlightCreateIsLookedUpFirst() {
        var state = Self.state(doneBefore: .create)
        state[StepRef(.create)].phase = .inFlight(attempt: 1)
        let entry = PURDryRun.progress(Self.node, state: state, retried: false)
        #expect(
            entry.message
                == "would be created and submitted (looked up first: its create may have reached the platform)"
        )
    }
}

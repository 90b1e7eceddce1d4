import InterlinkCore
import InterlinkEngine
import Testing

@Suite struct DependencySchedulerTests {
    @Test func startsInDependencyOrderAndBlocksDependentsOfFailures() {
        let plan = EngineFixtures.threeJobPlan(baseDirectory: "/tmp/x")
        var scheduler = DependencyScheduler(nodes: plan.nodes)
        #expect(scheduler.handle(.begin).start == [.shared("mesh")])
        #expect(scheduler.handle(.finished(.shared("mesh"), .succeeded)).start == [.job("a"), .job("b")])
        let afterA = scheduler.handle(.finished(.job("a"), .failed))
        #expect(afterA.block == [DependencyScheduler.Blocked(node: .job("c"), dependency: .job("a"))])
        #expect(afterA.finished == nil)
        let afterB = scheduler.handle(.finished(.job("b"), .succeeded))
        #expect(afterB.finished == .failed)
    }

    @Test func stopRequestStartsNothingMoreAndEndsInterrupted() {
        let plan = EngineFixtures.threeJobPlan(baseDirectory: "/tmp/x")
        var scheduler = DependencyScheduler(nodes: plan.nodes)
        _ = scheduler.handle(.begin)
        #expect(scheduler.handle(.stopRequested).start.isEmpty)
        let end = scheduler.handle(.finished(.shared("mesh"), .succeeded))
        #expect(end.start.isEmpty)
        #expect(end.finished == .interrupted)
    }

    /// 10,000 independent jobs and a 10,000-long chain: each event looks only at the nodes it affects, so the whole
    /// run examines O(n) nodes (a full pass per event would examine n² = 10^8).
    @Test func aRunExaminesEachNodeAConstantNumberOfTimes() {
        let count = 10_000
        let independent = (0..<count).map { Self.node("j\($0)", needs: []) }
        var scheduler = DependencyScheduler(nodes: independent)
        #expect(scheduler.handle(.begin).start.count == count)
        var finished: RunResult?
        for node in independent { finished = scheduler.handle(.finished(node.id, .succeeded)).finished }
        #expect(finished == .succeeded)
        #expect(scheduler.examined <= 2 * count)

        let chain = (0..<count).map { Self.node("c\($0)", needs: $0 == 0 ? [] : ["c\($0 - 1)"]) }
        var chained = DependencyScheduler(nodes: chain)
        #expect(chained.handle(.begin).start == [.job("c0")])
        let blocked = chained.handle(.finished(.job("c0"), .failed))
        #expect(blocked.block.count == count - 1)
        #expect(blocked.block.first == DependencyScheduler.Blocked(node: .job("c1"), dependency: .job("c0")))
        #expect(blocked.finished == .failed)
        #expect(chained.examined <= 3 * count)
    }

    /// A job node with no uploads that needs the named jobs.
    static func node(_ name: String, needs: [String]) -> PlanNode {
        PlanNode(
            id: .job(name),
            kind: .job(EngineFixtures.job(name)),
            stages: StageKind.allCases,
            dependencies: needs.map { NodeID.job($0) },
            uploads: [],
            existingFiles: [],
            contentHash: name
        )
    }
}

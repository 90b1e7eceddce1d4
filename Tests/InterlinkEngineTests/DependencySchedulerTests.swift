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
}

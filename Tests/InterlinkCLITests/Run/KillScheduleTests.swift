import Testing

/// A kill test's delays replay exactly from the seed it printed.
@Suite struct KillScheduleTests {
    @Test func theSeedFromTheEnvironmentReplaysEveryDelayInAnyOrder() {
        let environment = [KillSchedule.environmentVariable: "12345"]
        let first = KillSchedule(test: "first", milliseconds: 20...400, environment: environment)
        let second = KillSchedule(test: "second", milliseconds: 20...400, environment: environment)
        #expect(first.seed == 12345)
        let forward = (0..<20).map { first.delay(attempt: $0) }
        let backward = (0..<20).reversed().map { second.delay(attempt: $0) }
        #expect(forward == Array(backward.reversed()))
        #expect(forward.allSatisfy { (20...400).contains($0) })
        #expect(Set(forward).count > 10, "delays spread over the range: \(forward)")
    }

    @Test func withoutTheVariableEachScheduleDrawsItsOwnSeed() {
        let seeds = (0..<4).map { KillSchedule(test: "fresh \($0)", milliseconds: 1...2, environment: [:]).seed }
        #expect(Set(seeds).count == 4)
    }

    @Test func theLabelNamesTheAttemptTheDelayAndHowToReplay() {
        let schedule = KillSchedule(test: "label", milliseconds: 1...2, environment: ["INTERLINK_TEST_SEED": "7"])
        #expect(schedule.label(attempt: 3, delay: 99) == "kill 3 after 99 ms (INTERLINK_TEST_SEED=7)")
    }
}

import ArgumentParser
import InterlinkCLI
import Testing

@Suite struct DurationArgumentTests {
    @Test(arguments: [
        ("5s", 5.0), ("2m", 120.0), ("1m30s", 90.0), ("0.2", 0.2), ("1h", 3600.0), ("1d", 86_400.0), ("200ms", 0.2),
        ("1m500ms", 60.5),
    ])
    func pollIntervalTakesDurationsAsWorkflowsWriteThem(text: String, seconds: Double) throws {
        let run = try RunCommand.parse(["workflow.yaml", "--poll-interval", text])
        #expect(run.options.pollInterval == seconds)
    }

    @Test func aValueThatIsNotADurationIsAUsageErrorNamingTheForms() {
        #expect(throws: (any Error).self) { try RunCommand.parse(["workflow.yaml", "--poll-interval", "soon"]) }
        do {
            _ = try RunCommand.parse(["workflow.yaml", "--poll-interval", "soon"])
        } catch {
            #expect(RunCommand.message(for: error).contains("'soon' is not a duration"), "\(error)")
        }
        #expect(throws: (any Error).self) { try RunCommand.parse(["workflow.yaml", "--poll-interval", "2d"]) }
    }
}

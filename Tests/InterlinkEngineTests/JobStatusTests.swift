import InterlinkCore
import Testing

@Suite struct JobStatusTests {
    @Test(
        arguments: [
            ("Completed", "Completed successfully", true, true),
            ("Completed", "Exceeded max number of restarts", true, false),
            ("Completed", "Could not allocate compute resources from the compute provider", true, false),
            ("Force Stop", nil, true, false),
            ("Force Stopped", nil, true, false),
            ("Stopping", "A run failed", false, false),
            ("Waiting for Cluster", nil, false, false),
            ("Hibernating", nil, false, false),
        ] as [(String, String?, Bool, Bool)]
    )
    func mapsPlatformStatuses(status: String, reason: String?, terminal: Bool, success: Bool) {
        let typed = JobStatus(platformStatus: status, reason: reason)
        #expect(typed.isTerminal == terminal)
        #expect(typed.isSuccess == success)
        #expect(JobStatus(name: typed.name, reason: typed.reason) == typed)
    }

    @Test func unknownStatusesAreNotTerminal() {
        #expect(JobStatus(platformStatus: "Hibernating", reason: nil) == .unknown("Hibernating"))
    }

    @Test func submissionIsAnythingPastNotSubmitted() {
        #expect(!JobStatus.notSubmitted.isSubmitted)
        #expect(JobStatus.pending.isSubmitted)
    }

    @Test func createAndSubmitFailuresAskForReconciliationInTheirHelp() {
        let error = PlatformError(.transport("reset"), retryClass: .needsReconcile)
        #expect(
            "\(error)"
                == "error: connection to the platform failed: reset\n  help: run 'rescale-int resume': it looks the result up before trying again"
        )
        #expect(PlatformError(.unauthorized("401")).retryClass == .credential)
    }
}

import InterlinkCore
import SlurmPlatform
import Testing

@Suite struct SlurmJobStateTests {
    @Test func readsTheQueueWithFinishedJobs() {
        let rows = SlurmJobState.parseQueue(
            "7|il-ab|FAILED|il-ab|NonZeroExitCode\n8|il-cd|RUNNING|(null)|None\nnot a row\n"
        )
        #expect(rows.count == 2)
        #expect(
            rows[0]
                == SlurmJobState(id: "7", name: "il-ab", comment: "il-ab", state: "FAILED", reason: "NonZeroExitCode")
        )
        #expect(rows[0].needsExitCode)
        #expect(rows[1].comment == nil && rows[1].reason == nil && rows[1].status == .executing)
    }

    @Test func readsExitCodesFromScontrolAndTheCompletionLog() throws {
        let shown = try #require(
            SlurmJobState.parseShowJob(
                "JobId=2 JobName=il-x UserId=root(0) JobState=FAILED Reason=NonZeroExitCode ExitCode=3:0 Comment=il-x"
            )
        )
        #expect(shown.status == .failed(reason: "the command exited with status 3"))
        let logged = SlurmJobState.parseCompletions(
            "2|il-x|FAILED|3:0\n3|il-y|CANCELLED by 0|0:0\n4|il-z|TIMEOUT|0:15\n"
        )
        #expect(
            logged.map(\.status) == [
                .failed(reason: "the command exited with status 3"),
                .stopped(reason: "CANCELLED"),
                .failed(reason: "TIMEOUT: the job's time limit was exceeded"),
            ]
        )
    }

    @Test(arguments: [
        ("PENDING", "queued"), ("CONFIGURING", "started"), ("RUNNING", "executing"), ("COMPLETING", "executing"),
        ("COMPLETED", "completed"), ("CANCELLED", "stopped"), ("NODE_FAIL", "failed"), ("OUT_OF_MEMORY", "failed"),
        ("SOMETHING_NEW", "unknown:SOMETHING_NEW"),
    ])
    func mapsEachStateToAStatus(state: String, name: String) {
        #expect(SlurmJobState(id: "1", name: "n", comment: nil, state: state, exitCode: (0, 0)).status.name == name)
    }

    @Test func namesASignalAndALaunchFailure() {
        let signalled = SlurmJobState(id: "1", name: "n", comment: nil, state: "FAILED", exitCode: (0, 9))
        #expect(signalled.status == .failed(reason: "the command was ended by signal 9"))
        let launch = SlurmJobState(id: "1", name: "n", comment: nil, state: "FAILED", exitCode: (0, 53))
        #expect(launch.status.failureReason?.contains("JobLaunchFailure") == true)
    }
}

@Suite struct BatchScriptTests {
    static let script = BatchScript(
        marker: "il-0123456789abcdef",
        name: "run 1",
        command: "echo 'it''s' > out.txt && exit 3",
        environment: ["SOLVER": "a b'c", "not a name": "x"],
        jobDirectory: "/w/jobs/il-0123456789abcdef",
        workDirectory: "/w/jobs/il-0123456789abcdef/work",
        minutes: 15,
        tasks: 2,
        cpusPerTask: 4
    )

    @Test func quotesTheCommandAndTheVariables() {
        let text = Self.script.text
        #expect(text.contains("export SOLVER='a b'\\''c'\n"))
        #expect(!text.contains("not a name"))
        #expect(text.contains("cd '/w/jobs/il-0123456789abcdef/work' || exit 1\n"))
        #expect(text.hasSuffix("/bin/bash -c 'echo '\\''it'\\'''\\''s'\\'' > out.txt && exit 3'\n"))
    }

    @Test func carriesTheMarkerTimeCoresAndSettings() {
        let arguments = Self.script.arguments(
            settings: SlurmSettings(partition: "debug", account: "proj", qos: "high", sbatchArguments: ["--mem=1G"])
        )
        for expected in [
            "--job-name=il-0123456789abcdef", "--comment=il-0123456789abcdef", "--time=15", "--ntasks=2",
            "--cpus-per-task=4", "--chdir=/w/jobs/il-0123456789abcdef/work",
            "--output=/w/jobs/il-0123456789abcdef/work/process_output.log", "--partition=debug", "--account=proj",
            "--qos=high", "--mem=1G", "--export=PATH",
        ] {
            #expect(arguments.contains(expected), "\(expected)")
        }
        #expect(arguments.first == "--parsable")
    }

    @Test func roundsTheWalltimeUpToWholeMinutes() {
        #expect(BatchScript.minutes(hours: 0.25) == 15)
        #expect(BatchScript.minutes(hours: 0.001) == 1)
        #expect(BatchScript.minutes(hours: 2) == 120)
    }
}

import Foundation
import Testing

@testable import InterlinkWeb

/// The pure parts of the web UI: diagnostics parsing, event parsing, the bus's bounds, paging.
@Suite struct WebPartsTests {
    @Test func planDiagnosticsKeepFileLineColumnAndHelp() {
        let text = """
            /s/jobs.csv:3:12: error: unknown core type 'emerld'
              help: use one of: emerald, onyx
            /s/jobs.csv:5: warning: walltime is long
            error: no such file 'x.csv'
            """
        let found = WebPlanReply.diagnostics(in: text)
        #expect(found.count == 3)
        #expect(found[0].file == "/s/jobs.csv" && found[0].line == 3 && found[0].column == 12)
        #expect(found[0].severity == "error" && found[0].message == "unknown core type 'emerld'")
        #expect(found[0].help == "use one of: emerald, onyx")
        #expect(found[1].line == 5 && found[1].column == nil && found[1].severity == "warning")
        #expect(found[2].file.isEmpty && found[2].message == "no such file 'x.csv'")
    }

    @Test func jsonLinesBecomeEventsWithRunJobAndLevel() {
        let failed = WebEvent.parsing(
            #"{"event":"stageFailed","run":"r1","job":"Run_2","stage":"submit","attempt":2,"message":"boom"}"#,
            source: "event",
            run: nil
        )
        #expect(failed.level == "error" && failed.run == "r1" && failed.job == "Run_2")
        #expect(failed.text.contains("stage=submit") && failed.text.contains("attempt=2"))
        let record = WebEvent.parsing(
            #"{"kind":"outcome","node":"job:Run_1","result":"succeeded"}"#,
            source: "journal",
            run: "r9"
        )
        #expect(record.level == "info" && record.run == "r9" && record.job == "job:Run_1")
        let plain = WebEvent.parsing("rescale-int: warning: slow", source: "event", run: "r9")
        #expect(plain.source == "log" && plain.level == "warning")
    }

    @Test func theBusNumbersKeepsAtMostItsCapacityAndReplaysAfterASeq() async {
        let bus = WebEventBus(capacity: 8)
        for index in 1...20 { bus.publish(WebEvent(source: "ui", text: "e\(index)")) }
        let kept = bus.events(after: 0)
        #expect(kept.count <= 10 && kept.count >= 8)
        #expect(kept.last?.seq == 20 && kept.last?.text == "e20")
        let stream = bus.subscribe(after: 18)
        bus.publish(WebEvent(source: "ui", text: "e21"))
        bus.finish()
        var seen: [Int] = []
        for await event in stream { seen.append(event.seq) }
        #expect(seen == [19, 20, 21])
    }

    @Test func pagesAreClamped() {
        #expect(WebPage(offset: -5, limit: 0) == WebPage(offset: 0, limit: 1))
        #expect(WebPage(offset: 10, limit: 50_000).limit == 1000)
    }

    @Test func theGuardReadsTheTokenFromTheQuery() {
        #expect(WebGuard.token(in: "a=1&token=abc&b=2") == "abc")
        #expect(WebGuard.token(in: "tokens=abc") == nil)
        #expect(WebGuard.token(in: nil) == nil)
    }
}

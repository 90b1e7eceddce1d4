import Foundation
import InterlinkCore
import InterlinkEngine
import InterlinkTestSupport
import Testing

/// Runs a workflow that produces every journal record kind and every event kind, then checks them against the
/// committed JSON Schemas.
@Suite struct SchemaTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A run with failures, retries, lost responses and a blocked job; returns journal lines and event lines.
    static func eventfulRun() async throws -> (journal: [Data], events: [Data]) {
        let base = EngineFixtures.temporaryDirectory()
        let platform = FakePlatform()
        await platform.end("a", with: .completed(.failure(reason: "Exceeded max number of restarts")))
        await platform.inject(.loseResponse, on: .createJob, nth: 1)
        await platform.inject(.fail(PlatformError(.server(status: 502, message: "bad gateway"))), on: .upload, nth: 1)
        let sink = RecordingSink()
        let plan = EngineFixtures.threeJobPlan(baseDirectory: base)
        _ = try await Engine(EngineFixtures.configuration(plan, platform: platform, events: sink)).run()
        // A second runner retries 'a' (nodeRetried); its new job is then stopped (jobStopped).
        let stop = StopSignal()
        _ = try await Engine(
            EngineFixtures.configuration(
                plan,
                platform: platform,
                events: RetryAndStopTests.StopOnFirstStatus(stop),
                stop: stop
            )
        ).run()
        _ = try await RunStopper(plan: plan, runID: RunID("run-1"), platform: platform, clock: TestClock()).stop()
        let text = try String(
            contentsOfFile: RunDirectory(baseDirectory: base, runID: RunID("run-1")).journalPath,
            encoding: .utf8
        )
        let encoder = Journal.makeEncoder()
        let (settledJournal, settledEvents) = try await settledRun()
        return (
            text.split(separator: "\n").map { Data($0.utf8) } + settledJournal,
            try (sink.events + settledEvents).map { try encoder.encode($0) }
        )
    }

    /// A run on a platform whose creates can outlive the process, cut right after its first create intent (what
    /// a crash leaves), then resumed: intents with deadlines, a `runWaiting` event, a reconciled create.
    static func settledRun() async throws -> (journal: [Data], events: [EngineEvent]) {
        let base = EngineFixtures.temporaryDirectory()
        let platform = FakePlatform(requestWindow: RequestWindow(timeout: .seconds(30), settle: .seconds(5)))
        let plan = EngineFixtures.threeJobPlan(baseDirectory: base)
        _ = try await Engine(EngineFixtures.configuration(plan, platform: platform)).run()
        let path = RunDirectory(baseDirectory: base, runID: RunID("run-1")).journalPath
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        let cut = try #require(
            lines.firstIndex(where: { $0.contains(#""kind":"intent""#) && $0.contains(#""stage":"create""#) })
        )
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: UInt64((lines[...cut].joined(separator: "\n") + "\n").utf8.count))
        try handle.close()
        let sink = RecordingSink()
        _ = try await Engine(EngineFixtures.configuration(plan, platform: platform, events: sink)).run()
        #expect(sink.events.contains { $0.event == .runWaiting && ($0.delaySeconds ?? 0) > 30 })
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return (text.split(separator: "\n").map { Data($0.utf8) }, sink.events)
    }

    static func schema(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: repository.appendingPathComponent("schemas/\(name)"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Checks property names and per-kind required fields, as the schema states them.
    static func check(_ lines: [Data], schema: [String: Any], discriminator: String) throws -> Set<String> {
        let properties = Set((schema["properties"] as? [String: Any] ?? [:]).keys)
        var required: [String: [String]] = [:]
        for rule in schema["allOf"] as? [[String: Any]] ?? [] {
            let kind = ((rule["if"] as? [String: Any])?["properties"] as? [String: [String: String]])?[discriminator]?[
                "const"
            ]
            if let kind { required[kind] = (rule["then"] as? [String: [String]])?["required"] }
        }
        var kinds: Set<String> = []
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: line) as? [String: Any])
            let kind = try #require(object[discriminator] as? String)
            kinds.insert(kind)
            #expect(
                Set(object.keys).isSubset(of: properties),
                "unknown keys in \(kind): \(Set(object.keys).subtracting(properties))"
            )
            for key in required[kind] ?? [] { #expect(object[key] != nil, "\(kind) lacks '\(key)'") }
            for key in schema["required"] as? [String] ?? [] { #expect(object[key] != nil, "\(kind) lacks '\(key)'") }
        }
        return kinds
    }

    @Test func everyJournalRecordKindMatchesTheSchema() async throws {
        let (journal, _) = try await Self.eventfulRun()
        let kinds = try Self.check(journal, schema: Self.schema("journal.schema.json"), discriminator: "kind")
        #expect(kinds == Set(JournalRecordKind.allCases.map(\.rawValue)))
    }

    @Test func everyEventKindMatchesTheSchema() async throws {
        let (_, events) = try await Self.eventfulRun()
        let kinds = try Self.check(events, schema: Self.schema("events.schema.json"), discriminator: "event")
        #expect(kinds == Set(EngineEvent.Kind.allCases.map(\.rawValue)))
    }

    @Test(.tags(.integration)) func jsonschemaValidatesJournalAndEvents() async throws {
        let (journal, events) = try await Self.eventfulRun()
        let directory = EngineFixtures.temporaryDirectory()
        let join = { (lines: [Data]) in lines.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "\n") }
        try join(journal).write(toFile: directory + "/journal.jsonl", atomically: true, encoding: .utf8)
        try join(events).write(toFile: directory + "/events.jsonl", atomically: true, encoding: .utf8)
        let script = """
            import json, sys, jsonschema
            bad = 0
            for schema, lines in ((sys.argv[1], sys.argv[2]), (sys.argv[3], sys.argv[4])):
                validator = jsonschema.Draft202012Validator(json.load(open(schema)))
                for line in open(lines):
                    for error in validator.iter_errors(json.loads(line)):
                        bad += 1
                        print(error.message)
            sys.exit(1 if bad else 0)
            """
        let result = try await ChildProcess.run(
            "/usr/bin/env",
            [
                "python3", "-c", script,
                Self.repository.appendingPathComponent("schemas/journal.schema.json").path,
                directory + "/journal.jsonl",
                Self.repository.appendingPathComponent("schemas/events.schema.json").path, directory + "/events.jsonl",
            ]
        )
        #expect(result.status == 0, "\(result.stdoutText)\(result.stderrText)")
    }
}

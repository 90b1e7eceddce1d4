import Foundation
import InterlinkCore
import InterlinkTestSupport
import RescaleSim
import Testing

@Suite(.tags(.integration)) struct SimBehaviourTests {
    @Test func throttlesAfterTheBurstWithRetryAfter() async throws {
        var configuration = SimConfiguration(users: [.init(apiKey: "k1")])
        // One token every 20 s: the burst and the refused request fit in that time even on a loaded machine.
        configuration.rateLimits = [.user: .init(rate: 0.05, capacity: 3)]
        try await SimHarness.with(configuration) { sim, _ in
            for _ in 0..<3 { #expect(try await sim.call(.GET, "/api/v3/users/me/").status == 200) }
            let throttled = try await sim.call(.GET, "/api/v3/users/me/folders/")
            #expect(throttled.status == 429)
            // The wait until the next token, rounded up: 20 s unless the three calls themselves took seconds.
            let retryAfter = try #require(throttled.headers.first(name: "Retry-After").flatMap { Int($0) })
            #expect((1...20).contains(retryAfter))
            // Submit has its own scope, so its bucket is still full.
            #expect(try await sim.call(.POST, "/api/v2/jobs/none/submit/").status == 404)
        }
    }

    @Test func bucketsRefillAtTheirScaledRate() {
        let limits = RequestThrottle(buckets: [.user: .init(rate: 1, capacity: 2)], rateScale: 2)
        let start = ContinuousClock.now
        #expect(limits.take(key: "k", scope: .user, now: start) == .allowed(remaining: 1, limit: 2))
        #expect(limits.take(key: "k", scope: .user, now: start) == .allowed(remaining: 0, limit: 2))
        guard case .throttled(let wait, _) = limits.take(key: "k", scope: .user, now: start) else {
            Issue.record("a third request in the same instant must be throttled")
            return
        }
        #expect(abs(wait - 0.5) < 1e-9)  // two tokens a second: the next one in 0.5 s
        #expect(limits.take(key: "k", scope: .user, now: start + .milliseconds(499)).isAllowed == false)
        #expect(limits.take(key: "k", scope: .user, now: start + .milliseconds(1000)).isAllowed)
        // Other keys and scopes have buckets of their own.
        #expect(limits.take(key: "other", scope: .user, now: start).isAllowed)
        #expect(limits.take(key: "k", scope: .jobSubmission, now: start).isAllowed)
    }

    @Test func scriptedFaultsHitTheNthRequestOfTheirKindAndCountsRecordThem() async throws {
        var configuration = SimConfiguration(users: [.init(apiKey: "k1")])
        configuration.faults = [FaultRule(kind: "jobs.create", nth: 2, action: .status(503))]
        try await SimHarness.with(configuration) { sim, _ in
            let first = try await sim.call(.POST, "/api/v3/jobs/", body: SimAPITests.job(name: "a", cores: 4))
            #expect(first.status == 201)
            let second = try await sim.call(.POST, "/api/v3/jobs/", body: SimAPITests.job(name: "b", cores: 4))
            #expect(second.status == 503)
            let installed = try await sim.call(
                .POST,
                "/_sim/faults",
                body: #"{"kind": "users.*", "action": "429=2", "count": 2}"#
            )
            #expect(installed.status == 201)
            let throttled = try await sim.call(.GET, "/api/v3/users/me/")
            #expect(throttled.status == 429 && throttled.headers.first(name: "Retry-After") == "2")
            #expect(try await sim.call(.GET, "/api/v3/users/me/").status == 429)
            #expect(try await sim.call(.GET, "/api/v3/users/me/").status == 200)
            _ = try await sim.call(.POST, "/_sim/faults", body: #"{"kind": "jobs.get", "action": "reset"}"#)
            let id = try #require(first.json?["id"]?.string)
            await #expect(throws: (any Error).self) { try await sim.call(.GET, "/api/v3/jobs/\(id)/") }
            _ = try await sim.call(.POST, "/_sim/faults", body: #"{"kind": "jobs.get", "action": "slow=300"}"#)
            let started = ContinuousClock.now
            #expect(try await sim.call(.GET, "/api/v3/jobs/\(id)/").status == 200)
            #expect(ContinuousClock.now - started >= .milliseconds(300))
            let counts = try await sim.call(.GET, "/_sim/counts").json
            #expect(counts?["requests"]?["jobs.create"]?.int == 2)
            #expect(counts?["createsByName"]?["a"]?.int == 1)
            #expect(counts?["createsByName"]?["b"] == nil)
            #expect(counts?["creates"]?.int == 1)
        }
    }

    /// Rules are written `kind[@text]:nth:action[:count]`; anything else is refused.
    @Test func faultRulesParseWithAndWithoutAPathFilter() {
        #expect(FaultRule(parsing: "jobs.create:2:503") == FaultRule(kind: "jobs.create", nth: 2, action: .status(503)))
        #expect(
            FaultRule(parsing: "s3.GetObject@big.bin:1:slow=4000:50")
                == FaultRule(
                    kind: "s3.GetObject",
                    pathContains: "big.bin",
                    nth: 1,
                    action: .slow(milliseconds: 4000),
                    count: 50
                )
        )
        for bad in ["@big.bin:1:503", "s3.GetObject@:1:503", "jobs.create:0:503", "jobs.create:1:418", "x:1"] {
            #expect(FaultRule(parsing: bad) == nil, "\(bad)")
        }
    }

    /// A rule that names part of the path hits only those requests, counted among themselves: one job's reads
    /// among another's.
    @Test func aFaultWithAPathHitsOnlyTheRequestsWhosePathContainsIt() async throws {
        try await SimHarness.with(SimConfiguration(users: [.init(apiKey: "k1")])) { sim, _ in
            let first = try await sim.call(.POST, "/api/v3/jobs/", body: SimAPITests.job(name: "a", cores: 4))
            let second = try await sim.call(.POST, "/api/v3/jobs/", body: SimAPITests.job(name: "b", cores: 4))
            let a = try #require(first.json?["id"]?.string)
            let b = try #require(second.json?["id"]?.string)
            let rule = #"{"kind": "jobs.get", "path": "/\#(b)/", "nth": 2, "action": "503", "count": 2}"#
            #expect(try await sim.call(.POST, "/_sim/faults", body: rule).status == 201)
            let emptyPath = #"{"kind": "jobs.get", "path": "", "action": "503"}"#
            let empty = try await sim.call(.POST, "/_sim/faults", body: emptyPath)
            #expect(empty.status == 400)
            var seen: [String] = []
            for id in [a, b, a, b, a, b, b] {
                seen.append("\(id == a ? "a" : "b")\(try await sim.call(.GET, "/api/v3/jobs/\(id)/").status)")
            }
            #expect(seen == ["a200", "b200", "a200", "b503", "a200", "b503", "b200"])
        }
    }

    @Test func submittedJobRunsThroughTheStatusSequenceOnceAndRecordsLookups() async throws {
        var configuration = SimConfiguration(users: [.init(apiKey: "k1")])
        configuration.timeScale = 500
        try await SimHarness.with(configuration) { sim, _ in
            let created = try await sim.call(.POST, "/api/v3/jobs/", body: SimAPITests.job(name: "run-1", cores: 4))
            let id = try #require(created.json?["id"]?.string)
            #expect(try await sim.call(.POST, "/api/v3/jobs/\(id)/tags/", body: #"{"name": "pur"}"#).status == 201)
            #expect(try await sim.call(.POST, "/api/v2/jobs/\(id)/submit/").status == 200)
            #expect(try await sim.call(.POST, "/api/v2/jobs/\(id)/submit/").status == 200)
            var current = ""
            for _ in 0..<200 where current != "Completed" {
                try await Task.sleep(for: .milliseconds(20))
                current =
                    try await sim.call(.GET, "/api/v3/jobs/\(id)/statuses/").json?["results"]?.array?.first?["status"]?
                    .string ?? ""
            }
            let history = try await sim.call(.GET, "/api/v3/jobs/\(id)/statuses/").json?["results"]?.array ?? []
            #expect(
                history.compactMap { $0["status"]?.string }.reversed() == [
                    "Pending", "Queued", "Started", "Validated", "Executing", "Completed",
                ]
            )
            #expect(history.first?["statusReason"]?.string == "Completed successfully")
            let found = try await sim.call(.GET, "/api/v3/jobs/?name=run-1").json
            #expect(found?["results"]?.array?.first?["jobStatus"]?["content"]?.string == "Completed")
            let counts = try await sim.call(.GET, "/_sim/counts").json
            #expect(counts?["jobs"]?[id]?["submits"]?.int == 2)
            #expect(counts?["lookups"]?["name:run-1"]?.int == 1)
            #expect(counts?["jobs"]?[id]?["tags"] == ["pur"])
        }
    }

    @Test func boto3AndTheAWSCLIWorkWithIssuedCredentialsAndExpiryIsEnforced() async throws {
        let script = try #require(Bundle.module.url(forResource: "Fixtures/s3_conformance", withExtension: "py"))
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("sim-s3-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        try await SimHarness.with(SimConfiguration(users: [.init(apiKey: "k1")])) { sim, server in
            let result = try await ChildProcess.run(
                "/usr/bin/env",
                ["python3", script.path, sim.base, "k1", scratch.path]
            )
            let output = result.stdout
            let errors = result.stderrText
            try #require(result.status == 0, "conformance script failed: \(errors)")
            let observed = try #require(JSONValue.parse(Array(output)))
            #expect(observed["head_size"]?.int == 11)
            #expect(observed["head_metadata"] == ["iv": "oKGio6SlpqeoqaqrrK2urw=="])
            #expect(observed["range"]?.string == "world")
            #expect(observed["listed_parts"] == [1, 2])
            #expect(observed["multipart_ok"]?.bool == true)
            #expect(observed["after_abort"]?.string == "NoSuchUpload")
            #expect(observed["presigned"]?.string == "hello world")
            #expect(observed["bad_secret_get"]?.string == "SignatureDoesNotMatch")
            #expect(observed["cli_roundtrip"]?.bool == true)
            #expect(observed["expired"]?.string == "ExpiredToken")
            #expect(observed["expired_status"]?.int == 400)
            let stored = try await server.s3.object("user/sim/multi.bin", in: "rescale-sim")
            #expect(stored.metadata == ["streamingformat": "cbc", "partsize": "5242880"])
            #expect(stored.etag.hasSuffix("-2\""))
        }
    }
}

extension RequestThrottle.Decision {
    /// Whether the request may proceed.
    var isAllowed: Bool {
        if case .allowed = self { return true }
        return false
    }
}

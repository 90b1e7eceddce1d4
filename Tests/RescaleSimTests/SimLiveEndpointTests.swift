import Foundation
import InterlinkTestSupport
import RescaleSim
import Testing

/// The emulator's automations catalogue, runs and live tail, as the job commands use them.
@Suite(.tags(.integration)) struct SimLiveEndpointTests {
    @Test func automationsAreABareListWithTheirVariables() async throws {
        try await SimHarness.with(SimAPITests.configuration()) { sim, _ in
            let reply = try await sim.call(.GET, "/api/v3/automations/")
            #expect(reply.status == 200)
            let items = try #require(reply.json?.array)
            #expect(items.compactMap { $0["id"]?.string } == ["Aut001", "Aut002"])
            #expect(items.first?["environmentVariables"]?.array?.first?["name"]?.string == "WEBHOOK")
            #expect(try await sim.call(.POST, "/api/v3/automations/").status == 405)
        }
    }

    @Test func runsAppearWhenTheJobStartsAndTheTailEndsWithTheRun() async throws {
        try await SimHarness.with(SimAPITests.configuration()) { sim, _ in
            let created = try await sim.call(.POST, "/api/v3/jobs/", body: SimAPITests.job(name: "live", cores: 1))
            let id = try #require(created.json?["id"]?.string)
            let before = try await sim.call(.GET, "/api/v2/jobs/\(id)/runs/")
            #expect(before.status == 200 && before.json?["results"]?.array?.isEmpty == true)
            #expect(try await sim.call(.GET, "/api/v2/jobs/\(id)/runs/1/tail/process_output.log/").status == 404)
            #expect(try await sim.call(.POST, "/api/v2/jobs/\(id)/submit/").status == 200)
            let deadline = ContinuousClock.now + .seconds(20)
            while try await sim.call(.GET, "/api/v3/jobs/\(id)/statuses/").json?["results"]?.array?.first?["status"]?
                .string != "Completed"
            {
                try #require(ContinuousClock.now < deadline, "the job never completed")
                try await Task.sleep(for: .milliseconds(20))
            }
            let runs = try #require(try await sim.call(.GET, "/api/v2/jobs/\(id)/runs/").json?["results"]?.array)
            #expect(runs.count == 1 && runs.first?["id"]?.string == "1")
            #expect(runs.first?["dateCompleted"]?.string?.isEmpty == false)
            #expect(try await sim.call(.GET, "/api/v2/jobs/\(id)/runs/1/tail/process_output.log/").status == 404)
            let badLines = try await sim.call(.GET, "/api/v2/jobs/\(id)/runs/1/tail/process_output.log/?lines=0")
            #expect(badLines.status == 400)
        }
    }
}

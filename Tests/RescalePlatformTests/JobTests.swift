import Foundation
import InterlinkCore
import InterlinkTestSupport
import Testing

@testable import RescalePlatform

@Suite(.tags(.integration)) struct JobTests {
    func request() -> JobRequest {
        var spec = JobSpec(
            name: "case-1",
            analysis: AnalysisSpec(code: "user_included", version: "0"),
            command: "./run.sh",
            hardware: HardwareSpec(coreType: "emerald", coresPerSlot: 4, slots: 2, walltime: Walltime(hours: 1.5)),
            environment: ["OMP_NUM_THREADS": "4"],
            license: LicenseSpec(useRescaleLicense: true, onDemandSeller: nil, userDefinedSettings: nil),
            tags: ["study", "wing"],
            isLowPriority: true,
            automations: ["Aut1"]
        )
        spec.projectID = nil
        return JobRequest(
            name: "case-1",
            spec: spec,
            inputFiles: [JobInputFile(id: FileID("F1"), decompress: true)],
            idempotencyKey: IdempotencyKey("run-1/job:case-1/create")
        )
    }

    @Test func adoptsTheJobAfterAFailedCreateInsteadOfCreatingTwice() async throws {
        let marker = RescalePlatform.marker(for: IdempotencyKey("run-1/job:case-1/create"))
        let server = ScriptedServer { request, _ in
            switch (request.method, request.path) {
            case ("POST", "/api/v3/jobs/"): .json(#"{"detail":"gateway"}"#, status: 502)
            case ("GET", let path) where path.hasPrefix("/api/v3/jobs/?"):
                .json(#"{"next":null,"results":[{"id":"other","name":"x"},{"id":"J9","name":"case-1 \#(marker)"}]}"#)
            default: .json("{}", status: 201)
            }
        }
        let job = try await server.run { base in try await makePlatform(base).createJob(request()) }
        #expect(job == JobID("J9"))
        let creates = server.requests.filter { $0.method == "POST" && $0.path == "/api/v3/jobs/" }
        #expect(creates.count == 1)
        let body = jsonObject(try #require(creates.first).body)
        #expect(body["name"] as? String == "case-1 \(marker)")
        #expect(body["isLowPriority"] as? Bool == true)
        let analysis = try #require((body["jobanalyses"] as? [[String: Any]])?.first)
        let hardware = try #require(analysis["hardware"] as? [String: Any])
        #expect((hardware["coreType"] as? [String: Any])?["code"] as? String == "emerald")
        #expect(
            hardware["walltime"] as? Int == 2 && hardware["slots"] as? Int == 2 && hardware["coresPerSlot"] as? Int == 4
        )
        #expect((analysis["analysis"] as? [String: Any])?["version"] as? String == "0")
        #expect((analysis["inputFiles"] as? [[String: Any]])?.first?["decompress"] as? Bool == true)
        #expect((analysis["envVars"] as? [String: String]) == ["OMP_NUM_THREADS": "4"])
        #expect(analysis["useRescaleLicense"] as? Bool == true)
        #expect(analysis.keys.contains("onDemandLicenseSeller") && analysis.keys.contains("userDefinedLicenseSettings"))
        let automation = try #require((body["jobAutomations"] as? [[String: Any]])?.first)
        #expect(automation["environmentVariables"] != nil)
        let tags = server.requests.filter { $0.path == "/api/v3/jobs/J9/tags/" }.map {
            jsonObject($0.body)["name"] as? String
        }
        #expect(tags == ["study", "wing"])
    }

    @Test func reportsNeedsReconcileWhenTheJobIsNotThere() async throws {
        let server = ScriptedServer { request, _ in
            request.method == "POST" ? .json("{}", status: 503) : .json(#"{"next":null,"results":[]}"#)
        }
        let error = try await server.run { base in
            await #expect(throws: PlatformError.self) { try await makePlatform(base).createJob(request()) }
        }
        #expect(error?.retryClass == .needsReconcile)
        #expect(server.requests.count { $0.method == "POST" } == 1)
    }

    @Test func readsTheNewestStatusAndCatchesFailedCompletions() async throws {
        let server = ScriptedServer { request, _ in
            switch request.path {
            case "/api/v3/jobs/A/statuses/":
                .json(
                    #"{"results":[{"status":"Completed","statusReason":"Completed successfully"},{"status":"Stopping","statusReason":"A run failed"},{"status":"Executing"}]}"#
                )
            case "/api/v3/jobs/B/statuses/":
                .json(#"{"results":[{"status":"Executing"},{"status":"Queued"}]}"#)
            default: .json(#"{"results":[]}"#)
            }
        }
        try await server.run { base in
            let platform = try makePlatform(base)
            #expect(try await platform.status(of: JobID("A")) == .completed(.failure(reason: "A run failed")))
            #expect(try await platform.status(of: JobID("B")) == .executing)
            #expect(try await platform.status(of: JobID("C")) == .notSubmitted)
        }
    }
}

import Foundation
import InterlinkCore
import InterlinkHTTP
import InterlinkSystem
import InterlinkTestSupport
import RescaleAPI
import RescaleSim
import Testing

@testable import RescalePlatform

/// Issue 11 item 3 against the emulator: a marker on several jobs is repaired (the submitted or oldest job kept,
/// the unsubmitted extras deleted), and a create or submit is never sent after its journaled bound.
@Suite(.tags(.integration)) struct DuplicateJobTests {
    static let apiKey = "duplicate-jobs-key-0001"
    static let key = IdempotencyKey("run-1/job:case-1/create")

    /// Runs `body` with a platform and its API client on a fresh emulator.
    static func withPlatform<T: Sendable>(
        _ body: (RescalePlatform, RescaleAPIClient, SimServer) async throws -> T
    ) async throws -> T {
        var configuration = SimConfiguration(users: [.init(apiKey: apiKey)])
        configuration.timeScale = 1000
        configuration.rateScale = 100
        let server = SimServer(configuration: configuration)
        return try await server.run(logger: quietLogger) { base in
            let api = try RescaleAPIClient(
                baseURL: base,
                key: try #require(APIKey(apiKey)),
                allowInsecureHost: true,
                http: HTTPClient.shared,
                limiter: RateLimiter(),
                logger: quietLogger
            )
            let platform = RescalePlatform(
                api: api,
                http: HTTPClient.shared,
                options: RescalePlatformOptions(environment: [:]),
                fileSystem: LocalFileSystem(),
                logger: quietLogger
            )
            return try await body(platform, api, server)
        }
    }

    /// Creates `count` jobs named with the key's marker, oldest first, plus one unrelated job.
    static func createMarked(_ count: Int, api: RescaleAPIClient) async throws -> [String] {
        let name = "case-1 " + RescalePlatform.marker(for: key)
        var ids: [String] = []
        for _ in 0..<count {
            ids.append(try await api.createJob(SubmitPacing.trivialJob(named: name)).id)
            // Distinct insertion times, so "oldest" is well defined.
            try await Task.sleep(for: .milliseconds(5))
        }
        _ = try await api.createJob(SubmitPacing.trivialJob(named: "unrelated"))
        return ids
    }

    /// The ids of the user's jobs that carry the marker.
    static func markedJobs(_ api: RescaleAPIClient) async throws -> Set<String> {
        let marker = RescalePlatform.marker(for: key)
        return Set(try await api.recentJobs { _ in false }.filter { $0.name?.hasSuffix(marker) == true }.map(\.id))
    }

    @Test func keepsTheSubmittedJobAndDeletesTheUnsubmittedExtras() async throws {
        try await Self.withPlatform { platform, api, _ in
            let ids = try await Self.createMarked(3, api: api)
            try await api.submitJob(ids[1])
            let adopted = try #require(try await platform.adoptJob(idempotencyKey: Self.key))
            #expect(adopted.job == JobID(ids[1]))
            #expect(Set(adopted.removedDuplicates) == [JobID(ids[0]), JobID(ids[2])])
            #expect(try await Self.markedJobs(api) == [ids[1]])
        }
    }

    @Test func keepsTheOldestWhenNoneIsSubmitted() async throws {
        try await Self.withPlatform { platform, api, _ in
            let ids = try await Self.createMarked(2, api: api)
            let adopted = try #require(try await platform.adoptJob(idempotencyKey: Self.key))
            #expect(adopted.job == JobID(ids[0]))
            #expect(adopted.removedDuplicates == [JobID(ids[1])])
            #expect(try await Self.markedJobs(api) == [ids[0]])
            // A single job is adopted as it is, and nothing is deleted.
            let again = try #require(try await platform.adoptJob(idempotencyKey: Self.key))
            #expect(again == AdoptedJob(job: JobID(ids[0])))
        }
    }

    @Test func findsNothingWhenNoJobCarriesTheMarker() async throws {
        try await Self.withPlatform { platform, api, _ in
            _ = try await api.createJob(SubmitPacing.trivialJob(named: "unrelated"))
            #expect(try await platform.adoptJob(idempotencyKey: Self.key) == nil)
        }
    }

    @Test func sendsNoCreateAfterItsJournaledBound() async throws {
        try await Self.withPlatform { platform, _, server in
            let spec = JobSpec(
                name: "case-1",
                analysis: AnalysisSpec(code: "user_included", version: "0"),
                command: "true",
                hardware: HardwareSpec(coreType: "emerald", coresPerSlot: 1, slots: 1, walltime: Walltime(hours: 1)),
                environment: [:],
                license: LicenseSpec(useRescaleLicense: false, onDemandSeller: nil, userDefinedSettings: nil),
                tags: [],
                isLowPriority: false,
                automations: []
            )
            let request = JobRequest(name: "case-1", spec: spec, inputFiles: [], idempotencyKey: Self.key)
            let error = await #expect(throws: PlatformError.self) {
                try await RequestBound.$sendBy.withValue(Date().addingTimeInterval(-1)) {
                    try await platform.createJob(request)
                }
            }
            #expect(error?.retryClass == .retryable)
            #expect(server.faults.requestCounts["jobs.create"] == nil)
            #expect(platform.requestWindow == RequestWindow(timeout: .seconds(30), settle: .seconds(5)))
        }
    }
}

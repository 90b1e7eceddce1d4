import Foundation
import InterlinkCore
import InterlinkHTTP
import InterlinkSystem
import InterlinkTestSupport
import RescaleAPI
import RescaleSim
import Testing

@testable import RescalePlatform

/// Output downloads against the emulator ask for file-specific credentials a chunk of paths at a time.
///
/// Issue 11 item 8: a job with 25 outputs downloads, every file verified, with at most ⌈25 / chunk⌉ credential
/// requests. The emulator accepts only a list of one to 100 paths on the user's own storage, and its
/// file-specific S3 keys reach only the listed objects, so a grant used for the wrong file fails the download.
@Suite(.tags(.integration)) struct OutputCredentialTests {
    static let apiKey = "output-credentials-key-01"
    static let fileCount = 24
    /// The 24 files plus `process_output.log`.
    static let outputCount = fileCount + 1
    static let chunkSize = 10
    static let concurrency = 4

    @Test(arguments: SimConfiguration.StorageKind.allCases)
    func outputsShareCredentialRequestsByChunk(storage: SimConfiguration.StorageKind) async throws {
        var configuration = SimConfiguration(users: [.init(apiKey: Self.apiKey, storage: storage)])
        configuration.timeScale = 1000
        configuration.rateScale = 100
        let server = SimServer(configuration: configuration)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("outcred-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let downloaded = try await server.run(logger: quietLogger) { base in
            let api = try RescaleAPIClient(
                baseURL: base,
                key: try #require(APIKey(Self.apiKey)),
                allowInsecureHost: true,
                http: HTTPClient.shared,
                limiter: RateLimiter(),
                logger: quietLogger
            )
            var options = RescalePlatformOptions(environment: [:])
            options.credentialChunkSize = Self.chunkSize
            let platform = RescalePlatform(
                api: api,
                http: HTTPClient.shared,
                options: options,
                fileSystem: LocalFileSystem(),
                logger: quietLogger
            )
            var body = SubmitPacing.trivialJob(named: "outputs")
            body.jobanalyses[0].command = "for i in $(seq 1 \(Self.fileCount)); do echo \"file $i\" > out_$i.txt; done"
            let job = try await api.createJob(body).id
            try await api.submitJob(job)
            try await Self.waitForCompletion(job, api: api)
            let outputs = try await platform.listOutputs(of: JobID(job))
            #expect(outputs.count == Self.outputCount)
            return try await outputs.concurrentMap(limit: Self.concurrency) { output in
                let path = directory.appendingPathComponent(output.name).path
                let file = try await platform.download(output, to: path) { _ in }
                return (output.name, try String(contentsOfFile: file.path, encoding: .utf8))
            }
        }
        let contents = Dictionary(downloaded) { first, _ in first }
        for index in 1...Self.fileCount { #expect(contents["out_\(index).txt"] == "file \(index)\n") }
        let credentialRequests = server.faults.requestCounts["credentials"] ?? 0
        let most = (Self.outputCount + Self.chunkSize - 1) / Self.chunkSize
        #expect(credentialRequests >= 1 && credentialRequests <= most, "credential requests for 25 outputs")
    }

    static func waitForCompletion(_ job: String, api: RescaleAPIClient) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if try await api.jobStatuses(job).contains(where: { $0.status == "Completed" }) { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("job \(job) did not complete within 60 s")
    }
}

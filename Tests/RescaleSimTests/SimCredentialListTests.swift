import Foundation
import RescaleSim
import Testing

/// `POST /api/v3/credentials/` with a body takes a list of paths on the user's own storage, strictly: one
/// to 100 entries, each `pathParts` in the storage's container.
@Suite(.tags(.integration)) struct SimCredentialListTests {
    static func body(storage: String = "sTorS3", container: String = "rescale-sim", paths: [String]) -> String {
        let entries = paths.map { #"{"pathParts":{"container":"\#(container)","path":"\#($0)"}}"# }
        return
            #"{"storage":{"id":"\#(storage)","storageType":"S3Storage"},"paths":[\#(entries.joined(separator: ","))]}"#
    }

    @Test func acceptsAListAndRefusesWhatTheSpecDoesNotDescribe() async throws {
        try await SimHarness.with(SimExecutionTests.fastConfiguration()) { sim, server in
            let listed = try await sim.call(.POST, "/api/v3/credentials/", body: Self.body(paths: ["a/1", "a/2"]))
            #expect(listed.status == 200 && listed.json?["accessKey"]?.string?.hasPrefix("ASIA") == true)
            let cases: [(String, String)] = [
                ("no paths", Self.body(paths: [])),
                ("101 paths", Self.body(paths: (0...100).map { "a/\($0)" })),
                ("another container", Self.body(container: "elsewhere", paths: ["a/1"])),
                ("another storage", Self.body(storage: "sTorXX", paths: ["a/1"])),
                ("no pathParts path", Self.body(paths: [""])),
            ]
            for (name, body) in cases {
                let reply = try await sim.call(.POST, "/api/v3/credentials/", body: body)
                #expect(reply.status == 400, "\(name): \(reply.status) \(reply.body)")
            }
            #expect(server.faults.requestCounts["credentials"] == 1 + cases.count)
        }
    }
}

import Foundation
import InterlinkCore
import RescaleSim
import Testing

extension SimHarness {
    /// Registers an uploaded object as an input file and returns its id.
    func register(
        name: String,
        path: String,
        container: String,
        storage: JSONValue,
        key: String,
        size: Int,
        sha512: String
    )
        async throws -> String
    {
        let body: JSONValue = [
            "typeId": 1, "name": .string(name), "encodedEncryptionKey": .string(key),
            "pathParts": ["container": .string(container), "path": .string(path)],
            "storage": [
                "id": storage["id"] ?? "", "storageType": storage["storageType"] ?? "",
                "encryptionType": storage["encryptionType"] ?? "", "connectionSettings": [:],
            ],
            "isUploaded": true, "decryptedSize": .number(Double(size)),
            "fileChecksums": [["hashFunction": "sha512", "fileHash": .string(sha512)]],
        ]
        let reply = try await call(.POST, "/api/v3/files/", body: body.compactJSON)
        try #require(reply.status == 201, "register answered \(reply.status): \(reply.body)")
        return try #require(reply.json?["id"]?.string)
    }

    /// Creates and submits a job running `command` with the given inputs; returns its id.
    func runJob(_ name: String, command: String, inputs: [(id: String, decompress: Bool)] = []) async throws -> String {
        var analysis: [String: JSONValue] = [
            "command": .string(command), "analysis": ["code": "user_included", "version": "0"],
            "hardware": ["coreType": ["code": "emerald"], "coresPerSlot": 4, "walltime": 1],
            "envVars": ["GREETING": "hello from the sim"],
            "useRescaleLicense": false, "onDemandLicenseSeller": .null, "userDefinedLicenseSettings": .null,
        ]
        if !inputs.isEmpty {
            analysis["inputFiles"] = .array(inputs.map { ["id": .string($0.id), "decompress": .bool($0.decompress)] })
        }
        let body: JSONValue = ["name": .string(name), "jobanalyses": [.object(analysis)], "isLowPriority": false]
        let created = try await call(.POST, "/api/v3/jobs/", body: body.compactJSON)
        try #require(created.status == 201, "create answered \(created.status): \(created.body)")
        let id = try #require(created.json?["id"]?.string)
        try #require(try await call(.POST, "/api/v2/jobs/\(id)/submit/").status == 200)
        return id
    }

    /// Polls statuses until `Completed` (or the deadline) and returns the history, oldest first.
    func waitForCompletion(_ id: String, timeout: Duration = .seconds(60)) async throws -> [(
        status: String, reason: String
    )] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await currentStatus(id) == "Completed" { break }
            try await Task.sleep(for: .milliseconds(25))
        }
        let results = try await call(.GET, "/api/v3/jobs/\(id)/statuses/?page_size=100").json?["results"]?.array ?? []
        return results.reversed().map { ($0["status"]?.string ?? "", $0["statusReason"]?.string ?? "") }
    }

    /// The newest status.
    func currentStatus(_ id: String) async throws -> String? {
        try await call(.GET, "/api/v3/jobs/\(id)/statuses/").json?["results"]?.array?.first?["status"]?.string
    }

    /// Every output record, following `next` links page by page; also returns how many pages there were.
    func outputs(of id: String, pageSize: Int) async throws -> (records: [JSONValue], pages: Int) {
        var records: [JSONValue] = []
        var next: String? = "/api/v2/jobs/\(id)/files/?page_size=\(pageSize)"
        var pages = 0
        while let url = next {
            let page = try #require(try await call(.GET, url).json)
            records += page["results"]?.array ?? []
            next = page["next"]?.string
            pages += 1
        }
        return (records, pages)
    }
}

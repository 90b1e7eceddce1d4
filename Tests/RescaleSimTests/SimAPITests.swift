import Foundation
import InterlinkTestSupport
import RescaleSim
import Testing

@Suite(.tags(.integration)) struct SimAPITests {
    static func configuration() -> SimConfiguration {
        var configuration = SimConfiguration(users: [.init(apiKey: "k1"), .init(apiKey: "k2", storage: .azure)])
        configuration.timeScale = 200
        return configuration
    }

    @Test func requiresATokenOfAConfiguredUser() async throws {
        try await SimHarness.with(Self.configuration()) { sim, _ in
            let missing = try await sim.call(.GET, "/api/v3/users/me/", key: "")
            #expect(missing.status == 401)
            #expect(missing.json?["detail"]?.string == "Authentication credentials were not provided.")
            let wrong = try await sim.call(.GET, "/api/v3/users/me/", key: "nope")
            #expect(wrong.status == 401)
            #expect(wrong.json?["detail"]?.string == "Invalid token.")
        }
    }

    @Test func profileNamesStorageKindPerUser() async throws {
        try await SimHarness.with(Self.configuration()) { sim, _ in
            let s3 = try await sim.call(.GET, "/api/v3/users/me/")
            #expect(s3.json?["defaultStorage"]?["storageType"]?.string == "S3Storage")
            #expect(s3.json?["defaultStorage"]?["connectionSettings"]?["pathBase"]?.string == "user/sim")
            let azure = try await sim.call(.GET, "/api/v3/users/me/", key: "k2")
            #expect(azure.json?["defaultStorage"]?["storageType"]?.string == "AzureStorage")
            #expect(azure.json?["defaultStorage"]?["connectionSettings"]?["pathPartsBase"]?.string == "")
            let credentials = try await sim.call(.POST, "/api/v3/credentials/", key: "k2")
            #expect(credentials.json?["sasToken"]?.string?.contains("sig=") == true)
            let folders = try await sim.call(.GET, "/api/v3/users/me/folders/")
            #expect(folders.json?["myLibrary"]?.string?.count == 6)
        }
    }

    @Test func rejectsUnknownMissingAndMistypedFieldsNamingThem() async throws {
        try await SimHarness.with(Self.configuration()) { sim, _ in
            let body = """
                {"name": "j", "bogus": 1, "jobanalyses": [{"command": "run", "analysis": {"code": "user_included"},
                 "hardware": {"coreType": {"code": "emerald"}, "coresPerSlot": "4"}}]}
                """
            let reply = try await sim.call(.POST, "/api/v3/jobs/", body: body)
            #expect(reply.status == 400)
            #expect(reply.json?["bogus"] == ["unknown field 'bogus'"])
            #expect(reply.json?["jobanalyses"]?.array?.first?["hardware"]?["coresPerSlot"] != nil)
            let missing = try await sim.call(.POST, "/api/v3/jobs/", body: "{}")
            #expect(missing.json?["name"] == ["this field is required"])
            let cores = try await sim.call(.POST, "/api/v3/jobs/", body: Self.job(name: "c", cores: 3))
            #expect(cores.status == 400)
            #expect(cores.body.contains("coresPerSlot"))
            let unregistered = try await sim.call(
                .POST,
                "/api/v3/files/",
                body: Self.register(path: "user/sim/absent")
            )
            #expect(unregistered.status == 400)
            #expect(unregistered.json?["pathParts"]?["path"] != nil)
        }
    }

    @Test func trailingSlashIsRequired() async throws {
        try await SimHarness.with(Self.configuration()) { sim, _ in
            let post = try await sim.call(.POST, "/api/v3/jobs", body: Self.job(name: "x", cores: 4))
            #expect(post.status == 404)
            let get = try await sim.call(.GET, "/api/v3/users/me")
            #expect(get.status == 301)
            #expect(get.headers.first(name: "Location") == "/api/v3/users/me/")
        }
    }

    @Test func paginationFollowsAbsoluteNextLinksToTheEnd() async throws {
        try await SimHarness.with(Self.configuration()) { sim, _ in
            var url: String? = "/api/v3/coretypes/?page_size=7"
            var codes: [String] = []
            var pages = 0
            while let next = url {
                let reply = try await sim.call(.GET, next)
                try #require(reply.status == 200)
                codes += reply.json?["results"]?.array?.compactMap { $0["code"]?.string } ?? []
                url = reply.json?["next"]?.string
                if let url { #expect(url.hasPrefix(sim.base) && url.contains("page_size=7")) }
                pages += 1
            }
            let total = try await sim.call(.GET, "/api/v3/coretypes/").json?["count"]?.int
            #expect(codes.count == total)
            #expect(Set(codes).count == codes.count)
            #expect(pages == ((total ?? 0) + 6) / 7)
            let beyond = try await sim.call(.GET, "/api/v3/coretypes/?page=99")
            #expect(beyond.status == 404)
        }
    }

    static func job(name: String, cores: Int) -> String {
        """
        {"name": "\(name)", "jobanalyses": [{"command": "echo hi", "analysis": {"code": "user_included", "version": "0"},
         "hardware": {"coreType": {"code": "emerald"}, "coresPerSlot": \(cores), "walltime": 1},
         "useRescaleLicense": false, "onDemandLicenseSeller": null, "userDefinedLicenseSettings": null}],
         "isLowPriority": false}
        """
    }

    static func register(path: String) -> String {
        """
        {"typeId": 1, "name": "in.tar.gz", "encodedEncryptionKey": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
         "pathParts": {"container": "rescale-sim", "path": "\(path)"},
         "storage": {"id": "sTorS3", "storageType": "S3Storage", "encryptionType": "default",
                     "connectionSettings": {"region": "", "container": ""}},
         "isUploaded": true, "decryptedSize": 5, "fileChecksums": []}
        """
    }
}

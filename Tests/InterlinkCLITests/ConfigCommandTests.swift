import ArgumentParser
import Foundation
import InterlinkCLI
import RescaleAPI
import Testing

@Suite struct ConfigCommandTests {
    func environment() throws -> [String: String] {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("config-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        return ["XDG_CONFIG_HOME": root]
    }

    @Test func initStoresAProfileThatShowMasks() throws {
        let environment = try environment()
        let key = try #require(APIKey("abcdefgh-ijkl-mnop-9876"))
        let line = try ConfigInit.save(
            profile: "eu",
            url: "eu.rescale.com/",
            key: key,
            allowInsecureHost: false,
            environment: environment
        )
        #expect(line.contains("'eu'") && line.contains("https://eu.rescale.com") && !line.contains("abcdefgh"))
        let resolved = try RescaleConfiguration.resolve(profile: "eu", environment: environment)
        let text = ConfigInit.show(resolved, directory: ConfigDirectory(environment: environment))
        #expect(text.contains("api key:   ****9876 (from profile)"))
        #expect(text.contains("platform:  https://eu.rescale.com (from profile)"))
        #expect(!text.contains("abcdefgh"))
    }

    @Test func initRefusesAForeignHostWithoutTheFlag() throws {
        let environment = try environment()
        let key = try #require(APIKey("k"))
        #expect(throws: ConfigurationError.self) {
            try ConfigInit.save(
                profile: nil,
                url: "https://evil.example.com",
                key: key,
                allowInsecureHost: false,
                environment: environment
            )
        }
        #expect(
            try ConfigInit.save(
                profile: nil,
                url: "http://127.0.0.1:8000",
                key: key,
                allowInsecureHost: true,
                environment: environment
            ).contains("127.0.0.1:8000")
        )
    }

    @Test func parsesTheConfigSubcommands() throws {
        #expect(try InterlinkCommand.parseAsRoot(["config", "show", "--profile", "eu"]) is ConfigShowCommand)
        #expect(try InterlinkCommand.parseAsRoot(["config", "test", "--insecure-api-host"]) is ConfigTestCommand)
        #expect(
            try InterlinkCommand.parseAsRoot(["config", "init", "--api-url", "x", "--api-key-stdin"])
                is ConfigInitCommand
        )
    }

    @Test func describesUserAndStorage() throws {
        let data = Data(
            #"{"email":"a@b.c","fullName":"Ada","defaultStorage":{"storageType":"AzureStorage","connectionSettings":{"container":"c1","storageAccount":"acct"}}}"#
                .utf8
        )
        let profile = try JSONDecoder().decode(UserProfile.self, from: data)
        let text = ConfigTest.describe(profile, platform: .default)
        #expect(text.contains("Ada <a@b.c>") && text.contains("Azure container 'c1' in account 'acct'"))
    }
}

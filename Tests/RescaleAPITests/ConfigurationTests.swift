import Foundation
import InterlinkHTTP
import Testing

@testable import RescaleAPI

@Suite struct ConfigurationTests {
    func makeDirectory() throws -> ConfigDirectory {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rescale-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: path, withIntermediateDirectories: true)
        return ConfigDirectory(path: path.path)
    }

    @Test func acceptsAllowListedHostsInEveryForm() throws {
        #expect(try PlatformURL(validating: "https://eu.rescale.com/").description == "https://eu.rescale.com")
        #expect(try PlatformURL(validating: "KR.Rescale.com").description == "https://kr.rescale.com")
        #expect(try PlatformURL(validating: "https://itar.rescale.com").requiresFIPS)
    }

    @Test(arguments: [
        "http://platform.rescale.com", "https://platform.rescale.com:8443", "https://platform.rescale.com/api",
        "https://user@platform.rescale.com", "https://platform.rescale.com?x=1", "https://evil.example.com",
        "https://platform.rescale.com.evil.com",
    ])
    func refusesEverythingElse(url: String) {
        #expect(throws: ConfigurationError.self) { try PlatformURL(validating: url) }
    }

    @Test func acceptsLoopbackOnlyWhenExplicitlyInsecure() throws {
        let error = #expect(throws: ConfigurationError.self) { try PlatformURL(validating: "http://127.0.0.1:8080") }
        #expect(error?.description.contains("--insecure-api-host") == true || error?.message.contains("scheme") == true)
        let url = try PlatformURL(validating: "http://127.0.0.1:8080", allowInsecureHost: true)
        #expect(url.description == "http://127.0.0.1:8080")
        #expect(!url.isAllowListed)
    }

    @Test func refusesAKeyFileOthersCanRead() throws {
        let directory = try makeDirectory()
        try ProfileStore(directory: directory).save(
            "default",
            settings: ProfileSettings(apiBaseURL: nil),
            key: APIKey("k-123")
        )
        let path = directory.keyFile("default")
        #expect(chmod(path, 0o644) == 0)
        let error = #expect(throws: ConfigurationError.self) {
            try RescaleConfiguration.resolve(profile: nil, environment: [:], directory: directory)
        }
        #expect(
            error?.description
                == "error: the key file '\(path)' has mode 644 and can be read by other users\n  help: run `chmod 600 '\(path)'`"
        )
    }

    @Test func writesTheKeyFileWithMode600() throws {
        let directory = try makeDirectory()
        try ProfileStore(directory: directory).save(
            "lab",
            settings: ProfileSettings(apiBaseURL: "https://eu.rescale.com"),
            key: APIKey("key-abc")
        )
        let attributes = try FileManager.default.attributesOfItem(atPath: directory.keyFile("lab"))
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let resolved = try RescaleConfiguration.resolve(profile: "lab", environment: [:], directory: directory)
        #expect(resolved.key.reveal() == "key-abc")
        #expect(resolved.platform.description == "https://eu.rescale.com")
        #expect(resolved.keySource == .profile && resolved.platformSource == .profile)
    }

    @Test func environmentWinsOverTheProfile() throws {
        let directory = try makeDirectory()
        try ProfileStore(directory: directory).save(
            "ops",
            settings: ProfileSettings(apiBaseURL: "https://eu.rescale.com"),
            key: APIKey("file-key")
        )
        let environment = [
            "RESCALE_PROFILE": "ops", "RESCALE_API_KEY": "env-key", "RESCALE_API_URL": "https://platform.rescale.jp",
        ]
        let resolved = try RescaleConfiguration.resolve(profile: nil, environment: environment, directory: directory)
        #expect(resolved.profile == "ops")
        #expect(resolved.key.reveal() == "env-key" && resolved.keySource == .environment)
        #expect(
            resolved.platform.description == "https://platform.rescale.jp" && resolved.platformSource == .environment
        )
        let flagged = try RescaleConfiguration.resolve(
            profile: "none",
            environment: ["RESCALE_API_KEY": "k"],
            directory: directory
        )
        #expect(flagged.profile == "none" && flagged.platform == .default && flagged.platformSource == .builtIn)
    }

    @Test func offListHostsNeedTheFlagOrEnvironment() throws {
        let directory = try makeDirectory()
        let environment = ["RESCALE_API_KEY": "k", "RESCALE_API_URL": "http://127.0.0.1:9000"]
        #expect(throws: ConfigurationError.self) {
            try RescaleConfiguration.resolve(profile: nil, environment: environment, directory: directory)
        }
        let flagged = try RescaleConfiguration.resolve(
            profile: nil,
            insecureHostFlag: true,
            environment: environment,
            directory: directory
        )
        #expect(flagged.allowInsecureHost)
        var withEnv = environment
        withEnv["RESCALE_INSECURE_API_HOST"] = "1"
        #expect(
            try RescaleConfiguration.resolve(profile: nil, environment: withEnv, directory: directory).platform.port
                == 9000
        )
    }

    @Test func reportsAMissingKeyWithTheFix() throws {
        let directory = try makeDirectory()
        let error = #expect(throws: ConfigurationError.self) {
            try RescaleConfiguration.resolve(profile: nil, environment: [:], directory: directory)
        }
        #expect(error?.help?.contains("rescale-int config init") == true)
    }

    @Test func findsTheDirectoryUnderXDGOrHome() {
        #expect(ConfigDirectory(environment: ["XDG_CONFIG_HOME": "/x", "HOME": "/h"]).path == "/x/rescale-int")
        #expect(ConfigDirectory(environment: ["HOME": "/h"]).path == "/h/.config/rescale-int")
    }

    @Test func readsTheProxyFromTheEnvironment() {
        let proxy = HTTPClientFactory.proxy(environment: ["HTTPS_PROXY": "http://u:p@proxy.local:3128"])
        #expect(proxy == .server(host: "proxy.local", port: 3128, authorization: .basic(username: "u", password: "p")))
        #expect(
            HTTPClientFactory.proxy(environment: ["https_proxy": "proxy.lan"]) == .server(host: "proxy.lan", port: 8080)
        )
        #expect(HTTPClientFactory.proxy(environment: [:]) == nil)
    }

    @Test func theClientConfigurationTakesTheProxyItsExemptionsAndTheCAFileFromTheEnvironment() {
        let configured = HTTPClientFactory.configuration(environment: [
            "HTTPS_PROXY": "http://proxy.lan:3128", "NO_PROXY": "localhost,.internal", "SSL_CERT_FILE": "/etc/corp.pem",
        ])
        #expect(configured.proxy == .server(host: "proxy.lan", port: 3128))
        #expect(configured.noProxy == "localhost,.internal" && configured.caFile == "/etc/corp.pem")
        let plain = HTTPClientFactory.configuration(environment: ["NO_PROXY": "x", "http_proxy": "http://ignored:1"])
        #expect(plain.proxy == nil && plain.noProxy == nil && plain.caFile == nil)
        #expect(plain.connectTimeout == .seconds(30) && plain.maxConnectionsPerHost == 100)
    }
}

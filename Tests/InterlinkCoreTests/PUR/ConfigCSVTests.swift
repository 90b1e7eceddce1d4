import Foundation
import InterlinkCore
import Testing

@Suite struct ConfigCSVTests {
    @Test func readsEverySettingWithTheHeaderRowSkipped() throws {
        let text = """
            Key,Value
            TAR_WORKERS , 8
            upload_workers,2
            job_workers,3
            tar_compression,gzip
            exclude_pattern, *.log ; *.tmp ;
            flatten_tar,TRUE
            max_retries,5
            org_code, acme
            tenant_url,https://eu.rescale.com
            proxy_mode,basic
            proxy_host,proxy.local
            proxy_port,3128
            proxy_user,me
            no_proxy,localhost
            proxy_warmup,1
            run_subpath,ignored
            sort_field,name

            """
        let (config, warnings) = try ConfigCSV.parse(contents: text, path: "config.csv")
        #expect(warnings.isEmpty)
        #expect(config.tarWorkers == 8)
        #expect(config.uploadWorkers == 2)
        #expect(config.jobWorkers == 3)
        #expect(config.compression == .gzip)
        #expect(config.excludePatterns == ["*.log", "*.tmp"])
        #expect(config.flattenTar)
        #expect(config.maxRetries == 5)
        #expect(config.orgCode == "acme")
        #expect(config.apiBaseURL == "https://eu.rescale.com")
        #expect(config.proxyMode == .basic)
        #expect(config.proxyHost == "proxy.local")
        #expect(config.proxyPort == 3128)
        #expect(config.proxyUser == "me")
        #expect(config.noProxy == "localhost")
        #expect(config.proxyWarmup)
    }

    @Test func anEmptyFileMeansTheDefaults() throws {
        let (config, warnings) = try ConfigCSV.parse(contents: "", path: "config.csv")
        #expect(config == PURConfig())
        #expect(warnings.isEmpty)
        #expect(config.tarWorkers == 4 && config.compression == .none && config.maxRetries == 1)
    }

    @Test func ignoresSecretsWithAWarning() throws {
        let (config, warnings) = try ConfigCSV.parse(contents: "api_key,abc\nproxy_password,pw\n", path: "c.csv")
        #expect(config == PURConfig())
        #expect(warnings.map(\.severity) == [.warning, .warning])
        #expect(warnings.map(\.location?.line) == [1, 2])
    }

    @Test func turnsIntoJobsOptions() throws {
        let (config, _) = try ConfigCSV.parse(
            contents: "include_pattern,*.inp\ntar_compression,none\norg_code,o\n",
            path: "c"
        )
        let options = config.jobsOptions(homeDirectory: "/h", absoluteNames: true)
        #expect(options == JobsCSV.Options(include: ["*.inp"], absoluteNames: true, orgCode: "o", homeDirectory: "/h"))
    }
}

/// Every file in `Fixtures/warnings/` is a config.csv that loads, with exactly the located warnings in
/// `<name>.expected`, and keeps the defaults of the settings it gets wrong.
@Suite struct ConfigCSVWarningFixtureTests {
    static let directory = Bundle.module.resourceURL?.appendingPathComponent("Fixtures/warnings")

    static func fixtureNames() -> [String] {
        guard let directory else { return [] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".csv") }.sorted()
    }

    @Test func thereAreFixtures() { #expect(Self.fixtureNames().count >= 2) }

    @Test(arguments: fixtureNames())
    func badValuesAreLocatedWarningsAndKeepTheDefaults(fixture: String) throws {
        let directory = try #require(Self.directory)
        let contents = try String(contentsOf: directory.appendingPathComponent(fixture), encoding: .utf8)
        let expected = try String(contentsOf: directory.appendingPathComponent(fixture + ".expected"), encoding: .utf8)
        let (config, warnings) = try ConfigCSV.parse(contents: contents, path: fixture)
        #expect(warnings.map { "\($0)\n" }.joined() == expected)
        #expect(warnings.allSatisfy { $0.severity == .warning })
        #expect(config == PURConfig(), "every bad value keeps its default")
    }
}

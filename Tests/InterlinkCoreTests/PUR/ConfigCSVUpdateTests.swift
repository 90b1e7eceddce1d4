import InterlinkCore
import Testing

/// `ConfigCSV.updating`, which the web UI's Setup tab writes the config.csv with.
@Suite struct ConfigCSVUpdateTests {
    @Test func replacesSetValuesAndKeepsEveryOtherLine() throws {
        let text = "key,value\ntar_workers,4\nexclude_pattern,*.tmp\nTAR_COMPRESSION,gzip\nproxy_mode,no-proxy\n"
        let updated = ConfigCSV.updating(text, with: [("tar_workers", "8"), ("proxy_mode", "system")])
        #expect(updated == "key,value\ntar_workers,8\nexclude_pattern,*.tmp\nTAR_COMPRESSION,gzip\nproxy_mode,system\n")
        let (config, _) = try ConfigCSV.parse(contents: updated, path: "config.csv")
        #expect(config.tarWorkers == 8 && config.proxyMode == .system && config.compression == .gzip)
        #expect(config.excludePatterns == ["*.tmp"])
    }

    @Test func appendsMissingSettingsAndStartsAnEmptyFileWithTheHeader() throws {
        let updated = ConfigCSV.updating("", with: [("upload_workers", "2"), ("proxy_host", "proxy.lan")])
        #expect(updated == "key,value\nupload_workers,2\nproxy_host,proxy.lan\n")
        let (config, warnings) = try ConfigCSV.parse(contents: updated, path: "config.csv")
        #expect(config.uploadWorkers == 2 && config.proxyHost == "proxy.lan" && warnings.isEmpty)
    }
}

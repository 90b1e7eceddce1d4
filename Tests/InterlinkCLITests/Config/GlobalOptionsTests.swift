import Foundation
import InterlinkCLI
import InterlinkCore
import RescaleAPI
import Testing

@Suite struct GlobalOptionsTests {
    @Test func takesTheFlagsOutAnywhereAndStopsAtDoubleDash() throws {
        let (options, remaining) = try GlobalOptions.extract(from: [
            "files", "--api-url", "https://eu.rescale.com", "list", "-c", "my.csv", "--token-file=t", "-n", "3",
            "--api-key", "k1", "--", "--api-url", "x",
        ])
        #expect(options.apiURL == "https://eu.rescale.com" && options.configFile == "my.csv")
        #expect(options.tokenFile == "t" && options.apiKey == "k1")
        #expect(remaining == ["files", "list", "-n", "3", "--", "--api-url", "x"])
        let error = #expect(throws: CommandFailure.self) { try GlobalOptions.extract(from: ["list", "--token-file"]) }
        #expect(error?.exitStatus == .usage && error?.message == "missing value for '--token-file'")
    }

    @Test func debugIsVerboseAndMore() throws {
        let (logging, remaining) = try LoggingOptions.extract(from: ["--debug", "files", "list"])
        #expect(logging.debug && logging.verbose && remaining == ["files", "list"])
    }

    @Test func flagsLieOverTheEnvironmentAndTheConfigURLOverTheProfile() throws {
        let root = NSTemporaryDirectory() + "global-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: root + "/rescale", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        try "key,value\ntenant_url,https://eu.rescale.com\n".write(
            toFile: root + "/rescale/config.csv",
            atomically: true,
            encoding: .utf8
        )
        try "secret-from-file\n".write(toFile: root + "/token", atomically: true, encoding: .utf8)
        let base = ["XDG_CONFIG_HOME": root, "RESCALE_API_KEY": "from-env"]
        let (context, warnings) = try CommandContext.load(
            options: GlobalOptions(tokenFile: root + "/token"),
            environment: base
        )
        #expect(warnings.isEmpty && context.configPath == root + "/rescale/config.csv")
        let environment = context.environment(base)
        #expect(environment["RESCALE_API_URL"] == "https://eu.rescale.com" && context.urlSource(base) == .configCSV)
        #expect(environment["RESCALE_API_KEY"] == "secret-from-file" && context.keySource == .tokenFile)
        let flagged = try CommandContext.load(
            options: GlobalOptions(apiURL: "https://itar.rescale.com", apiKey: "k"),
            environment: base
        )
        #expect(flagged.context.environment(base)["RESCALE_API_URL"] == "https://itar.rescale.com")
        #expect(
            flagged.warnings.map(\.message) == [
                "--api-key is visible to other users of this machine in the process list"
            ]
        )
        #expect(!flagged.warnings.description.contains("\"k\""))
    }

    @Test func refusesAConfigWithErrorsAndAnUnreadableTokenFile() throws {
        let root = NSTemporaryDirectory() + "global-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        try "key,value\ntar_workers,8,9\n".write(toFile: root + "/c.csv", atomically: true, encoding: .utf8)
        let error = #expect(throws: CommandFailure.self) {
            try CommandContext.load(options: GlobalOptions(configFile: root + "/c.csv"), environment: [:])
        }
        #expect(error?.exitStatus == .configuration)
        #expect(error?.description.contains("c.csv:2:") == true)
        let token = #expect(throws: CommandFailure.self) {
            try CommandContext.load(options: GlobalOptions(tokenFile: root + "/none"), environment: [:])
        }
        #expect(token?.message == "cannot read the token file '\(root)/none'")
    }

    @Test func aDownloadThatDoesNotFitIsRefusedNamingBothNumbers() throws {
        let directory = NSTemporaryDirectory()
        var record = FileRecord(id: "f1", name: "huge.bin")
        record.decryptedSize = LenientInt64(1 << 52)
        let error = #expect(throws: CommandFailure.self) {
            try FileTransfers.checkFreeSpace(for: [(record, directory + "/huge.bin")])
        }
        let size = Int64(1) << 52
        let needed = size + (size * 15 + 99) / 100
        #expect(error?.exitStatus == .ioError)
        #expect(
            error?.message.contains("needs \(needed) bytes (\(size) + 15 %) but") == true,
            "\(String(describing: error))"
        )
        record.decryptedSize = LenientInt64(10)
        try FileTransfers.checkFreeSpace(for: [(record, directory + "/small.bin")])
    }

    @Test func platformNamesBecomeSafeLocalNames() {
        #expect(LocalName.safe("a/b") == "a_b" && LocalName.safe("..") == "_.." && LocalName.safe("") == "_")
        #expect(LocalName.safe("run 1.tar") == "run 1.tar")
    }
}

@Suite struct TransferProgressLineTests {
    @Test func aBarShowsBytesPercentRateAndETA() {
        let line = TransferProgressLine.bar(
            verb: "upload",
            name: "mesh.dat",
            bytes: 25 << 20,
            total: 100 << 20,
            seconds: 5
        )
        #expect(line == "upload mesh.dat [######------------------] 25% 25.0 MiB/100.0 MiB 5.0 MiB/s ETA 15 s")
        let unknown = TransferProgressLine.bar(verb: "download", name: "x", bytes: 2048, total: nil, seconds: 2)
        #expect(unknown == "download x 2.0 KiB 1.0 KiB/s")
    }
}

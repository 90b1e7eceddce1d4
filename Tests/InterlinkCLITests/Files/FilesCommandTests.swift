import Foundation
import InterlinkTestSupport
import Testing

/// `rescale-int files …`, `upload` and `download`, run as a user runs them, against the `rescale-sim` binary.
@Suite(.tags(.integration)) struct FilesCommandTests {
    /// A workspace with two files (one of a few hundred KiB of mixed bytes) and the emulator's environment.
    struct Fixture {
        let sim: SimProcess
        let root: String
        let environment: [String: String]
        let big: Data

        init(simArguments: [String] = []) async throws {
            sim = try await SimProcess(simArguments)
            root = try makeWorkspace(["a.txt": "hello, rescale\n"], label: "files")
            var bytes = Data()
            for index in 0..<300_000 { bytes.append(UInt8(truncatingIfNeeded: index &* 7919 >> 3)) }
            big = bytes
            try big.write(to: URL(fileURLWithPath: root + "/b.bin"))
            var environment = sim.environment(configHome: root + "/config")
            environment["XDG_STATE_HOME"] = root + "/state"
            self.environment = environment
        }

        func run(_ arguments: [String], environment extra: [String: String] = [:]) async throws -> CLIProcess.Result {
            try await CLIProcess.run(arguments, in: root, environment: environment.merging(extra) { $1 })
        }

        func json(_ arguments: [String]) async throws -> Any {
            let result = try await run(arguments + ["--json"])
            try #require(result.status == 0, "\(arguments): \(result.stderr)")
            return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        }

        func remove() async {
            await sim.stop()
            try? FileManager.default.removeItem(atPath: root)
        }
    }

    @Test func uploadListDownloadAndDeleteRoundTripThroughTheEmulator() async throws {
        let fixture = try await Fixture()
        let records = try #require(
            try await fixture.json(["files", "upload", "a.txt", "b.bin", "--description", "case 12"])
                as? [[String: Any]]
        )
        #expect(records.map { $0["name"] as? String } == ["a.txt", "b.bin"])
        #expect(records.allSatisfy { $0["encodedEncryptionKey"] == nil && $0["description"] as? String == "case 12" })
        let ids = records.compactMap { $0["id"] as? String }
        try #require(ids.count == 2)

        let listed = try #require(try await fixture.json(["files", "list"]) as? [[String: Any]])
        #expect(Set(listed.compactMap { $0["id"] as? String }) == Set(ids))
        #expect((try await fixture.json(["files", "list", "-n", "1"]) as? [Any])?.count == 1)
        let searched = try #require(try await fixture.json(["files", "list", "--search", "b.b"]) as? [[String: Any]])
        #expect(searched.map { $0["id"] as? String } == [ids[1]])
        let table = try await fixture.run(["files", "list"])
        #expect(table.status == 0 && table.stdout.hasPrefix("ID") && table.stdout.contains("a.txt"))

        let download = try await fixture.run(["download", ids[0], ids[1], "-d", "out"])
        #expect(download.status == 0, "\(download.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: fixture.root + "/out/b.bin")) == fixture.big)
        #expect(try String(contentsOfFile: fixture.root + "/out/a.txt", encoding: .utf8) == "hello, rescale\n")
        #expect(download.stderr.contains("download b.bin: "), "one line per file off a terminal: \(download.stderr)")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: fixture.root + "/out")
        #expect(leftovers.sorted() == ["a.txt", "b.bin"], "no partial file is left: \(leftovers)")

        let again = try await fixture.run(["files", "download", ids[1], "-d", "out"])
        #expect(again.status == 0 && again.stderr.contains("already downloaded"), "\(again.stderr)")
        let single = try await fixture.run(["files", "download", ids[1], "-o", "copy.bin"])
        #expect(single.status == 0, "\(single.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: fixture.root + "/copy.bin")) == fixture.big)

        let deleted = try await fixture.run(["files", "delete", ids[0], ids[1]])
        #expect(deleted.status == 0 && deleted.stdout.contains("deleted file \(ids[1])"), "\(deleted.stderr)")
        #expect((try await fixture.json(["files", "list"]) as? [Any])?.isEmpty == true)
        let missing = try await fixture.run(["files", "download", ids[0], "-d", "gone"])
        #expect(missing.status == 69 && !FileManager.default.fileExists(atPath: fixture.root + "/gone/a.txt"))
        await fixture.remove()
    }

    @Test func globalFlagsGiveTheConnectionAndTheKeyNeverShows() async throws {
        let fixture = try await Fixture()
        try Data((SimProcess.apiKey + "\n").utf8).write(to: URL(fileURLWithPath: fixture.root + "/token"))
        let bare = ["RESCALE_API_URL": "", "RESCALE_API_KEY": ""]
        let withToken = try await fixture.run(
            ["upload", "a.txt", "--api-url", fixture.sim.url, "--token-file", "token"],
            environment: bare
        )
        #expect(withToken.status == 0, "\(withToken.stderr)")
        #expect(withToken.stdout.contains("a.txt"))

        let withKey = try await fixture.run(
            ["files", "list", "--api-key", SimProcess.apiKey, "--api-url=\(fixture.sim.url)"],
            environment: bare
        )
        #expect(withKey.status == 0 && withKey.stdout.contains("a.txt"), "\(withKey.stderr)")
        #expect(withKey.stderr.contains("warning: --api-key is visible to other users"))
        #expect(!withKey.stderr.contains(SimProcess.apiKey) && !withKey.stdout.contains(SimProcess.apiKey))

        let shown = try await fixture.run(
            ["config", "show", "--api-url", fixture.sim.url, "--token-file", "token"],
            environment: bare
        )
        #expect(shown.stdout.contains("platform:   \(fixture.sim.url) (from --api-url)"), "\(shown.stdout)")
        #expect(shown.stdout.contains("(from --token-file)") && !shown.stdout.contains(SimProcess.apiKey))

        let debug = try await fixture.run(["files", "list", "--debug"])
        #expect(debug.status == 0 && debug.stderr.contains("rescale.api.response"), "\(debug.stderr)")
        #expect(!debug.stderr.contains(SimProcess.apiKey))
        await fixture.remove()
    }

    @Test func configCSVIsReadAndAConfigWithErrorsStopsEveryCommand() async throws {
        let fixture = try await Fixture()
        let configDirectory = fixture.root + "/config/rescale"
        try FileManager.default.createDirectory(atPath: configDirectory, withIntermediateDirectories: true)
        try "key,value\napi_base_url,\(fixture.sim.url)\ntar_workers,2\nupload_worker,3\n".write(
            toFile: configDirectory + "/config.csv",
            atomically: true,
            encoding: .utf8
        )
        let viaUserConfig = try await fixture.run(["files", "list"], environment: ["RESCALE_API_URL": ""])
        #expect(viaUserConfig.status == 0, "the per-user config.csv gives the URL: \(viaUserConfig.stderr)")
        #expect(viaUserConfig.stderr.contains("config.csv:4:1: warning: unknown setting 'upload_worker' is ignored"))

        let shown = try await fixture.run(["config", "show", "--json"], environment: ["RESCALE_API_URL": ""])
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        #expect((summary["platform"] as? [String: String])?["source"] == "config.csv")
        #expect((summary["settings"] as? [String: String])?["tar_workers"] == "2")

        try "key,value\ninclude_pattern,*.dat\nexclude_pattern,*.log\n".write(
            toFile: fixture.root + "/bad.csv",
            atomically: true,
            encoding: .utf8
        )
        let before = try await fixture.sim.counts()["requests"] as? [String: Int] ?? [:]
        let refused = try await fixture.run(["files", "list", "-c", "bad.csv"])
        #expect(refused.status == 78)
        #expect(refused.stderr.contains("bad.csv:2:17: error: include_pattern and exclude_pattern are both set"))
        let after = try await fixture.sim.counts()["requests"] as? [String: Int] ?? [:]
        #expect(before["files.list"] == after["files.list"], "nothing ran")

        let missing = try await fixture.run(["config", "path", "--config", "nope.csv"])
        #expect(missing.status == 78 && missing.stderr.contains("no config file 'nope.csv'"))
        await fixture.remove()
    }

    @Test func configShowWorksWithoutAKeyAndConfigPathNamesTheFiles() async throws {
        let root = try makeWorkspace([:], label: "config-show")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let environment = [
            "XDG_CONFIG_HOME": root + "/config", "RESCALE_API_KEY": "", "RESCALE_API_URL": "", "RESCALE_PROFILE": "",
        ]
        let shown = try await CLIProcess.run(["config", "show"], in: root, environment: environment)
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.contains("api key:    not set"))
        #expect(shown.stdout.contains("platform:   https://platform.rescale.com (from default)"))
        let path = try await CLIProcess.run(["config", "path"], in: root, environment: environment)
        #expect(path.stdout.contains("config.csv: \(root)/config/rescale/config.csv (not present: defaults)"))
        #expect(path.stdout.contains("profiles:   \(root)/config/rescale-int"))

        try Data("k-0123456789abcdef\n".utf8).write(to: URL(fileURLWithPath: root + "/token"))
        let initialized = try await CLIProcess.run(
            ["config", "init", "--token-file", "token", "--api-url", "https://eu.rescale.com"],
            in: root,
            environment: environment
        )
        #expect(initialized.status == 0, "\(initialized.stderr)")
        #expect(FileManager.default.fileExists(atPath: root + "/config/rescale/config.csv"))
        let refused = try await CLIProcess.run(
            ["config", "init", "--token-file", "token"],
            in: root,
            environment: environment
        )
        #expect(refused.status == 64 && refused.stderr.contains("pass --force to replace it"))
        let forced = try await CLIProcess.run(
            ["config", "init", "--token-file", "token", "--force"],
            in: root,
            environment: environment
        )
        #expect(forced.status == 0, "\(forced.stderr)")
        let after = try await CLIProcess.run(["config", "show"], in: root, environment: environment)
        #expect(after.stdout.contains("api key:    ****cdef (from profile)"), "\(after.stdout)")
    }

    @Test func anUploadKilledMidwayContinuesFromItsLastPartWhenRunAgain() async throws {
        // Parts 2 and 3 of the first attempt are held 30 s by the emulator: part 1's checkpoint is stored first, and a
        // loaded machine still has time to see it before the first attempt ends (at 3 s, at load 30, it did not; at
        // 8 s, in a clean-clone CI run where this test took 151 s, it did not either).
        let fixture = try await Fixture(simArguments: ["--fault", "s3.UploadPart:2:slow=30000:2"])
        var bytes = Data(count: 33 << 20)  // three parts of at most 16 MiB
        bytes.withUnsafeMutableBytes { buffer in
            for index in stride(from: 0, to: buffer.count, by: 4096) {
                buffer[index] = UInt8(truncatingIfNeeded: index >> 12)
            }
        }
        try bytes.write(to: URL(fileURLWithPath: fixture.root + "/big.bin"))
        let first = try CLIProcess(["files", "upload", "big.bin"], in: fixture.root, environment: fixture.environment)
        let uploads = fixture.root + "/state/rescale-int/uploads"
        let deadline = ContinuousClock.now + .seconds(180)
        func committed() -> Int64 {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: uploads)) ?? []
            return names.filter { $0.hasSuffix(".json") }.compactMap { name -> Int64? in
                guard let data = FileManager.default.contents(atPath: uploads + "/" + name),
                    let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
                else { return nil }
                return (object["committedBytes"] as? NSNumber)?.int64Value
            }.max() ?? 0
        }
        // Killed once part 1's checkpoint is stored and both held parts have reached the emulator, so the held
        // requests are the first attempt's and the second attempt's parts go through unheld.
        func partsSeen() async -> Int {
            (try? await fixture.sim.counts()["requests"] as? [String: Int])?["s3.UploadPart"] ?? 0
        }
        var parts = 0
        while first.process.isRunning, ContinuousClock.now < deadline {
            parts = await partsSeen()
            if committed() > 0, parts >= 3 { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        try #require(
            committed() > 0,
            "no checkpoint was stored; the first attempt \(first.process.isRunning ? "still runs" : "had ended")"
        )
        try #require(parts >= 3, "the held parts did not reach the emulator: \(parts) parts")
        first.send(SIGKILL)
        _ = await first.wait()
        let before = try await fixture.sim.counts()["requests"] as? [String: Int] ?? [:]
        let again = try await fixture.run(["files", "upload", "big.bin", "--json"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.contains("upload (resumed) big.bin"), "\(again.stderr)")
        let after = try await fixture.sim.counts()["requests"] as? [String: Int] ?? [:]
        // Parts 2 and 3 at most: part 1 is not sent again. A held part whose body had fully arrived is stored by the
        // emulator once its hold ends, and a rerun that lists the parts after that sends only the other one.
        let resent = (after["s3.UploadPart"] ?? 0) - (before["s3.UploadPart"] ?? 0)
        #expect((1...2).contains(resent), "only parts 2 and 3 are sent again, not \(resent)")
        let records = try #require(try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [[String: Any]])
        let id = try #require(records.first?["id"] as? String)
        let back = try await fixture.run(["download", id, "-o", "back.bin"])
        #expect(back.status == 0, "\(back.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: fixture.root + "/back.bin")) == bytes)
        #expect((try? FileManager.default.contentsOfDirectory(atPath: uploads))?.isEmpty != false, "checkpoint removed")
        await fixture.remove()
    }
}

extension FilesCommandTests {
    /// Storage writes so far: single PUTs and multipart parts (the emulator's request counts).
    static func storageWrites(_ sim: SimProcess) async throws -> Int {
        let requests = try await sim.counts()["requests"] as? [String: Any] ?? [:]
        return ["s3.PutObject", "s3.UploadPart"].reduce(0) { $0 + ((requests[$1] as? NSNumber)?.intValue ?? 0) }
    }

    /// `files upload` prunes the upload checkpoints no upload can use before its own: here one of an earlier
    /// version (no source named) untouched for 31 days goes, a fresh one stays. (Which entries go is
    /// `UploadCheckpointStoreTests`; the abort of their multipart uploads, `UploadPruneTests`.)
    @Test func anUploadPrunesCheckpointsNoUploadCanUse() async throws {
        let fixture = try await Fixture()
        let uploads = fixture.root + "/state/rescale-int/uploads"
        try FileManager.default.createDirectory(atPath: uploads, withIntermediateDirectories: true)
        let entry = Data(#"{"payload":"{}","committedBytes":1}"#.utf8)
        for name in ["old.json", "recent.json"] {
            #expect(FileManager.default.createFile(atPath: uploads + "/" + name, contents: entry))
        }
        try FileManager.default.setAttributes(
            [.modificationDate: Date().addingTimeInterval(-31 * 86_400)],
            ofItemAtPath: uploads + "/old.json"
        )
        let result = try await fixture.run(["files", "upload", "a.txt"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: uploads) == ["recent.json"])
        await fixture.remove()
    }

    @Test func aNameTakenInTheFolderSaysWhatToDoAndTheRetryOnlyRegisters() async throws {
        let fixture = try await Fixture()
        let first = try #require(try await fixture.json(["files", "upload", "b.bin"]) as? [[String: Any]])
        let taken = try #require(first.first?["id"] as? String)
        let refused = try await fixture.run(["files", "upload", "b.bin"])
        #expect(refused.status == 69, "\(refused.stderr)")
        #expect(refused.stderr.contains("myLibrary already has a file named 'b.bin'"), "\(refused.stderr)")
        #expect(refused.stderr.contains("'rescale-int folders list' shows its id"), "\(refused.stderr)")
        #expect(refused.stderr.contains("'rescale-int files delete <id>'"), "\(refused.stderr)")
        #expect(!refused.stderr.contains("rescale-int resume"), "a run's advice: \(refused.stderr)")
        #expect(refused.stderr.contains("(not registered)"), "\(refused.stderr)")
        // The object is complete: no checkpoint, but the object kept for the next attempt, readable by its owner only.
        let uploads = fixture.root + "/state/rescale-int/uploads"
        let left = (try? FileManager.default.contentsOfDirectory(atPath: uploads)) ?? []
        #expect(left.count == 1 && left.allSatisfy { $0.hasSuffix(".uploaded.json") }, "\(left)")
        let kept = uploads + "/" + (left.first ?? "")
        let mode = (try FileManager.default.attributesOfItem(atPath: kept)[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode == 0o600)
        let deleted = try await fixture.run(["files", "delete", taken])
        #expect(deleted.status == 0, "\(deleted.stderr)")
        // The next attempt registers the kept object: nothing is sent to storage again.
        let writes = try await Self.storageWrites(fixture.sim)
        let again = try await fixture.run(["files", "upload", "b.bin", "--json"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.contains("sent before; registering"), "\(again.stderr)")
        #expect(try await Self.storageWrites(fixture.sim) == writes, "the file was sent again")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: uploads)) ?? []).isEmpty)
        let records = try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [[String: Any]]
        let id = try #require(records?.first?["id"] as? String)
        let back = try await fixture.run(["download", id, "-o", "back.bin"])
        #expect(back.status == 0, "\(back.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: fixture.root + "/back.bin")) == fixture.big)
        await fixture.remove()
    }

    /// A kept object that storage no longer holds (here: a record naming an object that is not there) is sent again.
    @Test func aKeptObjectStorageNoLongerHoldsIsSentAgain() async throws {
        let fixture = try await Fixture()
        let first = try #require(try await fixture.json(["files", "upload", "b.bin"]) as? [[String: Any]])
        let taken = try #require(first.first?["id"] as? String)
        let refused = try await fixture.run(["files", "upload", "b.bin"])
        #expect(refused.status == 69, "\(refused.stderr)")
        let uploads = fixture.root + "/state/rescale-int/uploads"
        let kept = uploads + "/" + (((try? FileManager.default.contentsOfDirectory(atPath: uploads)) ?? []).first ?? "")
        let text = try Data(contentsOf: URL(fileURLWithPath: kept))
        var record = try #require(try JSONSerialization.jsonObject(with: text) as? [String: Any])
        let path = try #require(record["storagePath"] as? String)
        record["storagePath"] = path + "-gone"
        try JSONSerialization.data(withJSONObject: record).write(to: URL(fileURLWithPath: kept))
        #expect(try await fixture.run(["files", "delete", taken]).status == 0)
        let writes = try await Self.storageWrites(fixture.sim)
        let again = try await fixture.run(["files", "upload", "b.bin", "--json"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try await Self.storageWrites(fixture.sim) > writes, "the file was not sent again")
        let records = try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [[String: Any]]
        let id = try #require(records?.first?["id"] as? String)
        let back = try await fixture.run(["download", id, "-o", "back.bin"])
        #expect(back.status == 0, "\(back.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: fixture.root + "/back.bin")) == fixture.big)
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: uploads)) ?? []).isEmpty)
        await fixture.remove()
    }
}

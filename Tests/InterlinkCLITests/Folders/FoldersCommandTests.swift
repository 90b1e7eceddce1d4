import Foundation
import InterlinkTestSupport
import Testing

/// `rescale-int folders …` against the `rescale-sim` binary over real HTTP.
@Suite(.tags(.integration)) struct FoldersCommandTests {
    @Test func createUploadDirDownloadDirAndDeleteKeepTheTree() async throws {
        let fixture = try await FilesCommandTests.Fixture()
        let root = fixture.root
        for (path, text) in [
            "tree/top.txt": "top\n", "tree/sub/one.txt": "one\n", "tree/sub/two.txt": "two\n",
            "tree/sub/deeper/three.txt": "three\n", "tree/other/four.txt": "four\n",
        ] {
            try FileManager.default.createDirectory(
                atPath: (root + "/" + path as NSString).deletingLastPathComponent,
                withIntermediateDirectories: true
            )
            try text.write(toFile: root + "/" + path, atomically: true, encoding: .utf8)
        }
        let created = try #require(try await fixture.json(["folders", "create", "cases"]) as? [String: String])
        let folder = try #require(created["id"])
        let listed = try #require(try await fixture.json(["folders", "list"]) as? [[String: Any]])
        #expect(listed.contains { ($0["item"] as? [String: Any])?["id"] as? String == folder })
        let duplicate = try await fixture.run(["folders", "create", "cases"])
        #expect(duplicate.status == 69 && duplicate.stderr.contains("already exists"), "\(duplicate.stderr)")

        let before = try await fixture.sim.counts()["requests"] as? [String: Int] ?? [:]
        let uploaded = try await fixture.run(["folders", "upload-dir", "--folder-id", folder, "--dir", "tree", "-r"])
        #expect(uploaded.status == 0, "\(uploaded.stderr)")
        let after = try await fixture.sim.counts()["requests"] as? [String: Int] ?? [:]
        let creates = (after["folders.create"] ?? 0) - (before["folders.create"] ?? 0)
        let listings = (after["folders.contents"] ?? 0) - (before["folders.contents"] ?? 0)
        #expect(creates == 3, "sub, sub/deeper and other")
        // One listing per folder, plus one after each create (which invalidates its parent): never one per file.
        #expect(listings <= 4 + creates, "\(listings) listings for 5 files in 4 folders")

        let again = try await fixture.run(["folders", "upload-dir", "--folder-id", folder, "--dir", "tree", "-r"])
        #expect(
            again.status == 0 && again.stderr.components(separatedBy: "already uploaded").count == 6,
            "\(again.stderr)"
        )

        let single = try await fixture.json(["folders", "upload", "a.txt", "--folder-id", folder]) as? [[String: Any]]
        #expect(single?.first?["name"] as? String == "a.txt")

        let back = try await fixture.run(["folders", "download-dir", "--folder-id", folder, "--outdir", "back"])
        #expect(back.status == 0, "\(back.stderr)")
        for path in ["top.txt", "sub/one.txt", "sub/two.txt", "sub/deeper/three.txt", "other/four.txt"] {
            #expect(
                try String(contentsOfFile: root + "/back/" + path, encoding: .utf8)
                    == String(contentsOfFile: root + "/tree/" + path, encoding: .utf8),
                "\(path)"
            )
        }
        #expect(FileManager.default.fileExists(atPath: root + "/back/a.txt"))

        let deleted = try await fixture.run(["folders", "delete", folder])
        #expect(deleted.status == 0 && deleted.stdout.contains("deleted folder \(folder)"), "\(deleted.stderr)")
        let gone = try #require(try await fixture.json(["folders", "list"]) as? [[String: Any]])
        #expect(!gone.contains { ($0["item"] as? [String: Any])?["id"] as? String == folder })
        #expect((try await fixture.json(["files", "list"]) as? [Any])?.isEmpty == true, "the folder's files went too")
        await fixture.remove()
    }

    /// Every `--json` output validates against its schema in `schemas/` (Draft 2020-12, with python's jsonschema).
    @Test func jsonOutputsMatchTheirSchemas() async throws {
        let fixture = try await FilesCommandTests.Fixture()
        let created = try await fixture.run(["folders", "create", "s", "--json"])
        let folder = try #require(
            (try JSONSerialization.jsonObject(with: Data(created.stdout.utf8)) as? [String: String])?["id"]
        )
        let uploaded = try await fixture.run(["folders", "upload", "a.txt", "b.bin", "--folder-id", folder, "--json"])
        let outputs: [(String, [String])] = [
            ("folder-created", ["folders", "create", "t"]),
            ("file-records", ["files", "list"]),
            ("folder-entries", ["folders", "list", "--folder-id", folder]),
            ("folder-entries", ["folders", "list"]),
            ("downloads", ["folders", "download-dir", "--folder-id", folder, "--outdir", "d"]),
            ("config-show", ["config", "show"]),
            ("config-path", ["config", "path"]),
        ]
        var documents = [("file-records", uploaded.stdout)]
        for (schema, arguments) in outputs {
            let result = try await fixture.run(arguments + ["--json"])
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            documents.append((schema, result.stdout))
        }
        let records = try #require(
            try JSONSerialization.jsonObject(with: Data(uploaded.stdout.utf8)) as? [[String: Any]]
        )
        let id = try #require(records.first?["id"] as? String)
        documents.append(("downloads", try await fixture.run(["download", id, "-d", "e", "--json"]).stdout))
        let schemas = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("schemas").path
        var arguments: [String] = []
        for (index, (schema, text)) in documents.enumerated() {
            let path = fixture.root + "/doc-\(index).json"
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            arguments += [schemas + "/\(schema).schema.json", path]
        }
        let script = """
            import json, sys, jsonschema
            bad = 0
            for schema, document in zip(sys.argv[1::2], sys.argv[2::2]):
                validator = jsonschema.Draft202012Validator(json.load(open(schema)))
                for error in validator.iter_errors(json.load(open(document))):
                    bad += 1
                    print(schema, document, error.message)
            sys.exit(1 if bad else 0)
            """
        let result = try await ChildProcess.run("/usr/bin/env", ["python3", "-c", script] + arguments)
        #expect(result.status == 0, "\(result.stdoutText)\(result.stderrText)")
        await fixture.remove()
    }
}

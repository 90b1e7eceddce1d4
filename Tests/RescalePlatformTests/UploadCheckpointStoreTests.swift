import Foundation
import InterlinkCore
import InterlinkSystem
import Testing

@testable import RescalePlatform

/// Where `files upload` keeps its place between runs.
@Suite struct UploadCheckpointStoreTests {
    /// Removing a registered upload's checkpoint also removes what a save of it interrupted by a kill left behind
    /// (each such file holds the data key), and nothing of any other upload.
    @Test func removingACheckpointRemovesItsInterruptedSavesAndNothingElse() throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("ucs-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: state) }
        let store = UploadCheckpointStore(environment: ["XDG_STATE_HOME": state])
        try FileManager.default.createDirectory(atPath: store.directory, withIntermediateDirectories: true)
        func checkpoint(of file: String) -> String {
            store.path(platform: "p", folder: nil, file: file, size: 3, modified: Date(timeIntervalSince1970: 5))
        }
        let (mine, other) = (checkpoint(of: "/a/big.bin"), checkpoint(of: "/a/other.bin"))
        #expect(mine != other)
        let files = [
            mine, mine + AtomicFile.temporaryMarker + "A1", mine + AtomicFile.temporaryMarker + "B2",
            other, other + AtomicFile.temporaryMarker + "C3",
        ]
        for file in files { #expect(FileManager.default.createFile(atPath: file, contents: Data("{}".utf8))) }
        store.remove(mine)
        let left = try FileManager.default.contentsOfDirectory(atPath: store.directory).sorted()
        let expected = [other, other + AtomicFile.temporaryMarker + "C3"].map { ($0 as NSString).lastPathComponent }
        #expect(left == expected.sorted())
    }

    /// Pruning removes what no upload can use any more and keeps the rest.
    ///
    /// Removed: this platform's checkpoint and kept object whose files changed (size, or only the modification
    /// time) or went away, any entry older than the maximum age (another platform's, and one of an earlier
    /// version that names no source), and an interrupted save's file older than an hour. Kept: entries of
    /// unchanged files, another platform's entry of a changed file (its own next upload prunes it), a fresh
    /// interrupted save (a save in progress) and an unreadable checkpoint (the next save replaces it). Only the
    /// removed checkpoints of this platform, or naming none, are given back to be aborted.
    @Test func pruningRemovesWhatNoUploadCanUseAndKeepsTheRest() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ucs-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let store = UploadCheckpointStore(environment: ["XDG_STATE_HOME": root + "/state"])
        try FileManager.default.createDirectory(atPath: root + "/files", withIntermediateDirectories: true)
        let now = Date()
        let files = FileManager.default
        func local(_ name: String, size: Int = 3) throws -> UploadSource {
            let path = root + "/files/" + name
            try Data(repeating: 7, count: size).write(to: URL(fileURLWithPath: path))
            let modified = try #require(files.attributesOfItem(atPath: path)[.modificationDate] as? Date)
            return UploadSource(platform: "https://p", path: path, size: Int64(size), modified: modified)
        }
        func checkpoint(_ tag: String) -> UploadCheckpoint { UploadCheckpoint(payload: tag, committedBytes: 1) }
        func entry(_ name: String) -> String { store.directory + "/" + name + ".json" }
        func age(_ path: String, days: Double) throws {
            try files.setAttributes([.modificationDate: now.addingTimeInterval(-days * 86_400)], ofItemAtPath: path)
        }

        let unchanged = try local("unchanged.bin")
        try store.save(checkpoint("unchanged"), of: unchanged, to: entry("unchanged"))
        try store.saveUploaded(
            UploadedObject(name: "u", storagePath: "p/u", plaintextBytes: 3, sha512: "00"),
            of: unchanged,
            forCheckpoint: entry("unchanged-object")
        )
        let grown = try local("grown.bin")
        try store.save(checkpoint("grown"), of: grown, to: entry("grown"))
        _ = try local("grown.bin", size: 4)
        let touched = try local("touched.bin")
        try store.save(checkpoint("touched"), of: touched, to: entry("touched"))
        try files.setAttributes([.modificationDate: now.addingTimeInterval(-60)], ofItemAtPath: touched.path)
        let gone = try local("gone.bin")
        try store.save(checkpoint("gone"), of: gone, to: entry("gone"))
        try store.saveUploaded(
            UploadedObject(name: "g", storagePath: "p/g", plaintextBytes: 3, sha512: "00"),
            of: gone,
            forCheckpoint: entry("gone-object")
        )
        try files.removeItem(atPath: gone.path)
        var elsewhere = try local("elsewhere.bin")
        elsewhere.platform = "https://other"
        try store.save(checkpoint("elsewhere"), of: elsewhere, to: entry("elsewhere"))
        _ = try local("elsewhere.bin", size: 9)
        try store.save(checkpoint("elsewhere-old"), of: elsewhere, to: entry("elsewhere-old"))
        try age(entry("elsewhere-old"), days: 31)
        // An earlier version's checkpoint: the bare checkpoint, no source.
        try AtomicFile.write(try AtomicFile.encodeJSON(checkpoint("earlier")), to: entry("earlier"))
        try AtomicFile.write(try AtomicFile.encodeJSON(checkpoint("earlier-old")), to: entry("earlier-old"))
        try age(entry("earlier-old"), days: 31)
        #expect(store.load(entry("earlier")) == checkpoint("earlier"), "a checkpoint of an earlier version still loads")
        let stale = entry("gone") + AtomicFile.temporaryMarker + "A1"
        let fresh = entry("unchanged") + AtomicFile.temporaryMarker + "B2"
        for leftover in [stale, fresh] { #expect(files.createFile(atPath: leftover, contents: Data("{".utf8))) }
        try files.setAttributes([.modificationDate: now.addingTimeInterval(-7_200)], ofItemAtPath: stale)
        #expect(files.createFile(atPath: entry("unreadable"), contents: Data("{".utf8)))

        let pruned = store.prune(platform: "https://p", now: now)
        let marker = AtomicFile.temporaryMarker
        #expect(
            pruned.names.sorted()
                == [
                    "earlier-old.json", "elsewhere-old.json", "gone-object.uploaded.json", "gone.json",
                    "gone.json\(marker)A1", "grown.json", "touched.json",
                ].sorted()
        )
        #expect(
            Set(pruned.checkpoints.map(\.payload)) == ["earlier-old", "gone", "grown", "touched"],
            "the removed checkpoints of this platform, or of none"
        )
        let left = try files.contentsOfDirectory(atPath: store.directory).sorted()
        #expect(
            left
                == [
                    "earlier.json", "elsewhere.json", "unchanged-object.uploaded.json", "unchanged.json",
                    "unchanged.json\(marker)B2", "unreadable.json",
                ].sorted()
        )
        #expect(store.load(entry("unchanged")) == checkpoint("unchanged"))
        #expect(store.loadUploaded(forCheckpoint: entry("unchanged-object"))?.storagePath == "p/u")
    }
}

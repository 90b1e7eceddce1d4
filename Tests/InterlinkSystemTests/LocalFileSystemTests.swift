import Foundation
import InterlinkCore
import InterlinkSystem
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite struct LocalFileSystemTests {
    private func makeTree() throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("lfs-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root + "/Run_1/sub", withIntermediateDirectories: true)
        try Data("hello\n".utf8).write(to: URL(fileURLWithPath: root + "/Run_1/a.txt"))
        try FileManager.default.createSymbolicLink(atPath: root + "/link", withDestinationPath: "Run_1")
        return root
    }

    @Test func readsEntriesWithoutFollowingLinks() throws {
        let root = try makeTree()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let fs = LocalFileSystem(currentDirectory: root)
        let file = try #require(fs.entry(at: "Run_1/a.txt"))
        #expect(file.kind == .file)
        #expect(file.size == 6)
        #expect(fs.entry(at: "link")?.kind == .symlink(target: "Run_1"))
        #expect(fs.isDirectory(followingLinksAt: "link"))
        #expect(fs.entry(at: "missing") == nil)
        let names = try fs.contentsOfDirectory(at: "Run_1").map(\.name).sorted()
        #expect(names == ["a.txt", "sub"])
        #expect(try fs.readText(at: root + "/Run_1/a.txt") == "hello\n")
    }

    @Test func reportsUnreadablePaths() throws {
        let fs = LocalFileSystem(currentDirectory: "/")
        #expect(throws: FileSystemError.self) { try fs.contentsOfDirectory(at: "/definitely/not/here") }
        #expect(throws: FileSystemError.self) { try fs.readText(at: "/definitely/not/here.txt") }
    }

    /// Files read in batches (the first bytes of a group through io_uring) give the chunks and errors that reading
    /// them one at a time gives: more files than one group (64), an empty file, one longer than the batched head
    /// (read on from there), a file named twice, a directory (its batched read fails and it is read again alone,
    /// which reports it) and a missing file.
    @Test func batchedReadsGiveWhatSingleReadsGive() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("lfs-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/dir", withIntermediateDirectories: true)
        var paths: [String] = []
        var expected: [[UInt8]] = []
        for index in 0..<70 {
            try Data("file \(index)\n".utf8).write(to: URL(fileURLWithPath: root + "/f\(index)"))
            paths.append("f\(index)")
            expected.append(Array("file \(index)\n".utf8))
        }
        let big = (0..<50_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        try Data(big).write(to: URL(fileURLWithPath: root + "/big"))
        try Data().write(to: URL(fileURLWithPath: root + "/empty"))
        paths += ["empty", "big", "f3", "dir", "missing"]
        expected += [[], big, expected[3], [], []]

        func read(_ fileSystem: LocalFileSystem) -> (bytes: [[UInt8]], failures: [String?]) {
            var bytes = [[UInt8]](repeating: [], count: paths.count)
            var last = 0
            let failures = fileSystem.readChunks(ofFilesAt: paths) { index, chunk in
                #expect(index >= last, "one file after another")
                last = index
                bytes[index] += chunk
            }
            return (bytes, failures.map { $0.map { "\($0.path): \($0.reason)" } })
        }
        let before = LocalFileSystem.batchedReads.load(ordering: .relaxed)
        let batched = read(LocalFileSystem(currentDirectory: root))
        let batchedCount = LocalFileSystem.batchedReads.load(ordering: .relaxed) - before
        var single = LocalFileSystem(currentDirectory: root)
        single.batchesReads = false
        let alone = read(single)

        #expect(alone.bytes == expected)
        #expect(alone.failures.prefix(73).allSatisfy { $0 == nil })
        #expect(alone.failures[73] == root + "/dir: " + String(cString: strerror(EISDIR)))
        #expect(alone.failures[74] == root + "/missing: " + String(cString: strerror(ENOENT)))
        #expect(batched.bytes == alone.bytes)
        #expect(batched.failures == alone.failures)
        // Where the kernel allows io_uring, the 73 regular files' first bytes came in batches (other tests in the
        // process may add theirs).
        let uringAllowed = (try? String(contentsOfFile: "/proc/sys/kernel/io_uring_disabled", encoding: .utf8))?
            .hasPrefix("0")
        #expect(uringAllowed != true || batchedCount >= 73)

        // The planner's digests of files read together are those of each file read alone, and the unreadable ones
        // fail with the same errors.
        let digests = StatCache.hash(filesAt: paths, in: LocalFileSystem(currentDirectory: root))
        #expect(digests.count == paths.count)
        for index in paths.indices {
            switch digests[index] {
            case .success(let digest):
                #expect(digest == (try StatCache.hash(fileAt: paths[index], in: single)), "\(paths[index])")
            case .failure(let failure):
                #expect(alone.failures[index] == "\(failure.path): \(failure.reason)")
            }
        }
        #expect(digests.filter { (try? $0.get()) == nil }.count == 2)
    }
}

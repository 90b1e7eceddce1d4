import CSystemCodecs
import CTestSupport
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

    /// The files of the batched-read tests, under a new temporary `root`: 70 small ones, an empty one, one longer
    /// than the batched head, one named twice, a directory and a missing one; and what each holds.
    static func batchFixture() throws -> (root: String, paths: [String], expected: [[UInt8]]) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("lfs-\(UUID().uuidString)").path
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
        return (root, paths, expected)
    }

    /// Reads `paths` through `fileSystem`'s `readChunks(ofFilesAt:)`: each file's bytes and failure.
    static func read(_ paths: [String], _ fileSystem: LocalFileSystem) -> (bytes: [[UInt8]], failures: [String?]) {
        var bytes = [[UInt8]](repeating: [], count: paths.count)
        var last = 0
        let failures = fileSystem.readChunks(ofFilesAt: paths) { index, chunk in
            #expect(index >= last, "one file after another")
            last = index
            bytes[index] += chunk
        }
        return (bytes, failures.map { $0.map { "\($0.path): \($0.reason)" } })
    }

    /// Files read in batches (the first bytes of a group through io_uring) give the chunks and errors that reading
    /// them one at a time gives: more files than one group (64), an empty file, one longer than the batched head
    /// (read on from there), a file named twice, a directory (its batched read fails and it is read again alone,
    /// which reports it) and a missing file.
    @Test func batchedReadsGiveWhatSingleReadsGive() throws {
        let (root, paths, expected) = try Self.batchFixture()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let before = LocalFileSystem.batchedReads.load(ordering: .relaxed)
        let batched = Self.read(paths, LocalFileSystem(currentDirectory: root))
        let batchedCount = LocalFileSystem.batchedReads.load(ordering: .relaxed) - before
        var single = LocalFileSystem(currentDirectory: root)
        single.batchesReads = false
        let alone = Self.read(paths, single)

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

    /// Where io_uring is refused, the batched reads fall back to one file at a time with the same results.
    ///
    /// Docker's default seccomp profile refuses io_uring with EPERM. Here the refusal is a seccomp filter on a
    /// thread of the test's own, so nothing else in the process is touched.
    @Test func whereIOUringIsRefusedTheFilesAreReadOneAtATimeWithTheSameResults() async throws {
        let (root, paths, expected) = try Self.batchFixture()
        defer { try? FileManager.default.removeItem(atPath: root) }
        var single = LocalFileSystem(currentDirectory: root)
        single.batchesReads = false
        let alone = Self.read(paths, single)
        #expect(alone.bytes == expected)
        let outcome = await withCheckedContinuation { continuation in
            let thread = Thread {
                guard il_test_refuse_io_uring_on_this_thread() == 0 else {
                    continuation.resume(returning: (filter: errno, uring: Int32(0), read: alone))
                    return
                }
                // The kernel's answer on this thread, straight from the batch reader: refused.
                var results: [Int64] = [0]
                let descriptor = open(root + "/f0", O_RDONLY)
                var head = [UInt8](repeating: 0, count: 16)
                let direct = il_read_heads([descriptor], 1, &head, head.count, &results) == 0 ? 0 : errno
                close(descriptor)
                let read = Self.read(paths, LocalFileSystem(currentDirectory: root))
                continuation.resume(returning: (filter: 0, uring: direct, read: read))
            }
            thread.start()
        }
        let refusal = String(cString: strerror(outcome.filter))
        try #require(outcome.filter == 0, "the kernel refused the seccomp filter: \(refusal)")
        #expect(outcome.uring == EPERM, "io_uring_setup on the filtered thread: \(outcome.uring)")
        // As Data, so a difference names each file's byte count rather than printing every byte.
        #expect(outcome.read.bytes.map { Data($0) } == alone.bytes.map { Data($0) })
        #expect(outcome.read.failures == alone.failures)
    }
}

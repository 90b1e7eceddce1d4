import InterlinkCore
import InterlinkTestSupport
import Synchronization
import Testing

/// A job's identity covers every byte of its inputs, and the stat cache keeps unchanged files from being read.
@Suite struct ContentIdentityTests {
    static let header =
        "Directory,JobName,AnalysisCode,Command,CoreType,CoresPerSlot,WalltimeHours,Slots,LicenseSettings"

    /// Input files' modification time in the fixtures, seconds since 1970.
    static let written = 1_700_000_000.0

    /// A stat cache store held in memory; it saves with a chosen write time, as the cache file's mtime would be.
    final class MemoryStore: StatCacheStore {
        let saved = Mutex<(entries: [UInt8], writtenAt: Int64)?>(nil)
        let writtenAt: Int64

        init(writtenAt: Double) { self.writtenAt = Int64(writtenAt * 1e9) }

        func load(baseDirectory: String) -> StatCache {
            guard let saved = saved.withLock({ $0 }) else { return StatCache() }
            return StatCache.decoding(saved.entries, writtenAt: saved.writtenAt)
        }

        func save(_ cache: StatCache, baseDirectory: String) {
            saved.withLock { $0 = (cache.encoded(), writtenAt) }
        }
    }

    /// A jobs CSV over `count` run directories, each holding `input.txt` with `value=0.5`.
    static func project(count: Int) -> InMemoryFileSystem {
        var fs = InMemoryFileSystem(currentDirectory: "/work")
        var csv = header + "\n"
        for index in 1...count {
            fs.addFile("/work/p/Run_\(index)/input.txt", contents: "value=0.5\n", modificationTime: written)
            csv += "Run_\(index),Run_\(index),user_included,./run.sh,emerald,1,1,1,\n"
        }
        fs.addFile("/work/p/jobs.csv", contents: csv)
        return fs
    }

    static func hashes(_ fs: InMemoryFileSystem, store: MemoryStore) throws -> [String: String] {
        let plan = try WorkflowPlanning.plan(path: "p/jobs.csv", fileSystem: fs, statCacheStore: store).plan
        return Dictionary(uniqueKeysWithValues: plan.nodes.map { ($0.name, $0.contentHash) })
    }

    @Test func aSameSizeEditChangesExactlyThatJobsIdentity() throws {
        var fs = Self.project(count: 3)
        let store = MemoryStore(writtenAt: Self.written + 60)
        let before = try Self.hashes(fs, store: store)
        fs.addFile("/work/p/Run_2/input.txt", contents: "value=0.7\n", modificationTime: Self.written + 120)
        let after = try Self.hashes(fs, store: store)
        #expect(after["Run_2"] != before["Run_2"])
        #expect(after["Run_1"] == before["Run_1"] && after["Run_3"] == before["Run_3"])
    }

    @Test func aSameSizeEditWithTheSameStatusIsFoundWhenTheEntryIsRacy() throws {
        var fs = Self.project(count: 2)
        // The cache was written half a second after the files: within the racy window, so not trusted.
        let store = MemoryStore(writtenAt: Self.written + 0.5)
        let before = try Self.hashes(fs, store: store)
        fs.addFile("/work/p/Run_1/input.txt", contents: "value=0.7\n", modificationTime: Self.written)
        let after = try Self.hashes(fs, store: store)
        #expect(after["Run_1"] != before["Run_1"])
        #expect(after["Run_2"] == before["Run_2"])
    }

    @Test func touchWithoutAChangeKeepsEveryIdentityAndReadsOnlyThatFile() throws {
        var fs = Self.project(count: 3)
        let store = MemoryStore(writtenAt: Self.written + 60)
        let before = try Self.hashes(fs, store: store)
        let readsBefore = fs.contentReads.count
        fs.addFile("/work/p/Run_3/input.txt", contents: "value=0.5\n", modificationTime: Self.written + 120)
        let after = try Self.hashes(fs, store: store)
        #expect(after == before)
        #expect(Array(fs.contentReads.dropFirst(readsBefore)) == ["/work/p/Run_3/input.txt"])
    }

    @Test func replanningTenThousandUnchangedRunDirectoriesReadsNoFileContents() throws {
        let fs = Self.project(count: 10_000)
        let store = MemoryStore(writtenAt: Self.written + 60)
        let first = try Self.hashes(fs, store: store)
        #expect(fs.contentReads.count == 10_000)
        let second = try Self.hashes(fs, store: store)
        #expect(fs.contentReads.count == 10_000, "the warm replan read \(fs.contentReads.count - 10_000) files")
        #expect(second == first)
        #expect(first.count == 10_000)
    }

    @Test func aSecondWorkflowBesideTheFirstKeepsTheFirstsEntries() throws {
        var fs = Self.project(count: 3)
        fs.addFile("/work/p/extra/Run_9/input.txt", contents: "value=0.9\n", modificationTime: Self.written)
        fs.addFile(
            "/work/p/more.csv",
            contents: Self.header + "\nextra/Run_9,Run_9,user_included,./run.sh,emerald,1,1,1,\n"
        )
        let store = MemoryStore(writtenAt: Self.written + 60)
        _ = try Self.hashes(fs, store: store)
        _ = try WorkflowPlanning.plan(path: "p/more.csv", fileSystem: fs, statCacheStore: store)
        #expect(fs.contentReads.count == 4)
        _ = try Self.hashes(fs, store: store)
        #expect(fs.contentReads.count == 4, "replanning the first workflow read \(fs.contentReads.dropFirst(4))")
    }

    @Test func theCacheFileHasOneLinePerPathInPathOrderWithEveryNumberInDecimal() {
        var cache = StatCache()
        let digest = String(repeating: "ab", count: 32)
        let statuses = [
            "/w/b": FileStatus(size: 0, modificationNanoseconds: -1_500_000_000, changeNanoseconds: 0, inode: .max),
            "/w/a": FileStatus(size: .max, modificationNanoseconds: .min, changeNanoseconds: .max, inode: 0),
            "/w/new\nline": FileStatus(size: 1, modificationNanoseconds: 1, changeNanoseconds: 1, inode: 1),
            "/w/é 10": FileStatus(
                size: 10,
                modificationNanoseconds: 1_796_625_347_593_932_723,
                changeNanoseconds: 7,
                inode: 42
            ),
        ]
        for (path, status) in statuses { cache.record(digest, status: status, forFileAt: path) }
        let expected = [
            StatCache.header,
            "\(digest) 9223372036854775807 -9223372036854775808 9223372036854775807 0 /w/a",
            "\(digest) 0 -1500000000 0 18446744073709551615 /w/b",
            "\(digest) 10 1796625347593932723 7 42 /w/é 10",
        ]
        // A path with a line break cannot be written in a line: it is left out (hashed again next time).
        #expect(String(decoding: cache.encoded(), as: UTF8.self) == expected.joined(separator: "\n") + "\n")
        let loaded = StatCache.decoding(cache.encoded(), writtenAt: 0)
        #expect(loaded.entries.count == 3)
        #expect(loaded.entries["/w/a"]?.status == statuses["/w/a"])
        #expect(loaded.entries["/w/b"]?.status == statuses["/w/b"])
    }

    @Test func theCacheFileRoundTripsPathsWithSpacesAndRejectsOtherFormats() throws {
        var fs = InMemoryFileSystem()
        fs.addFile("/work/a b/c d.txt", contents: "x", modificationTime: 5)
        var cache = StatCache()
        let digest = try cache.digest(ofFileAt: "/work/a b/c d.txt", in: fs)
        #expect(digest == "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881")
        let loaded = StatCache.decoding(cache.encoded(), writtenAt: 10_000_000_000)
        #expect(loaded.entries == cache.entries)
        #expect(StatCache.decoding(Array("{}".utf8), writtenAt: 0).entries.isEmpty)
        #expect(StatCache.decoding(Array((StatCache.header + "\nbad line\n").utf8), writtenAt: 0).entries.isEmpty)
    }
}

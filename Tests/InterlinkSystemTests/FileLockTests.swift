import Foundation
import InterlinkSystem
import Testing

@Suite struct FileLockTests {
    private func temporaryPath(_ name: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lock-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory + "/" + name
    }

    @Test func aSecondOwnerIsRefusedWithTheHoldersPidUntilRelease() throws {
        let path = try temporaryPath("lock")
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        #expect(!FileLock.isHeld(at: path))
        let first = try FileLock(path: path)
        #expect(FileLock.isHeld(at: path))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "\(getpid())\n")
        #expect(throws: FileLock.Failure.held(pid: getpid())) { _ = try FileLock(path: path) }
        first.release()
        #expect(!FileLock.isHeld(at: path))
        let second = try FileLock(path: path)
        second.release()
        let mode = try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        #expect(mode == 0o600)
    }

    @Test func aLongerStaleFileIsCutToThePid() throws {
        // The pid is written over what a crashed owner left, then the file is cut to the pid's length.
        let path = try temporaryPath("lock")
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        try Data("4000000000\nleft over by an older owner\n".utf8).write(to: URL(fileURLWithPath: path))
        let lock = try FileLock(path: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "\(getpid())\n")
        lock.release()
    }

    @Test func aLockInAMissingDirectoryIsAnErrorNamingThePath() {
        let path = "/nonexistent-\(UUID().uuidString)/lock"
        #expect(
            throws: FileLock.Failure.unusable(SystemError(path: path, operation: "open the lock file", code: ENOENT))
        ) {
            _ = try FileLock(path: path)
        }
        #expect(
            SystemError(path: path, operation: "open the lock file", code: ENOENT).description
                == "cannot open the lock file '\(path)': No such file or directory"
        )
    }

    @Test func atomicWritesReplaceWholeAndLeaveNoTemporaryFile() throws {
        let path = try temporaryPath("record.json")
        let directory = (path as NSString).deletingLastPathComponent
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try AtomicFile.write(Data("old".utf8), to: path)
        try AtomicFile.write(Data("new contents".utf8), to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new contents")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["record.json"])
        #expect(throws: SystemError.self) { try AtomicFile.write(Data(), to: directory + "/missing/x.json") }
    }

    @Test func freeSpaceIsKnownForMissingPathsThroughTheirAncestors() throws {
        let here = try FreeSpace.available(at: FileManager.default.temporaryDirectory.path)
        #expect(here > 0)
        let below = try FreeSpace.available(at: FileManager.default.temporaryDirectory.path + "/no/such/dir/file")
        // The same file system: the two readings differ only by what other processes wrote in between.
        #expect(abs(below - here) < 1 << 30)
    }
}

import Foundation
import InterlinkCore
import InterlinkSystem
import Testing

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
}

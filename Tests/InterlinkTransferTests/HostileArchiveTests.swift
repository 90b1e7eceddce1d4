import Foundation
import InterlinkTestSupport
import InterlinkTransfer
import Testing

@Suite struct HostileArchiveTests {
    private static let hostile: [(String, [UInt8], String)] = [
        ("traversal", RawTar.file("a/../../evil.txt", "x") + RawTar.end, "contains '..'"),
        ("absolute", RawTar.file("/tmp/evil.txt", "x") + RawTar.end, "absolute path"),
        ("symlink escape", RawTar.header("up", type: "2", link: "../outside") + RawTar.end, "leaves the target"),
        ("absolute symlink", RawTar.header("abs", type: "2", link: "/etc") + RawTar.end, "absolute path '/etc'"),
        (
            "chained symlink escape",
            RawTar.header("x", type: "2", link: "y/z/../..") + RawTar.header("z/", type: "5")
                + RawTar.header("y", type: "2", link: ".") + RawTar.end,
            "leaves the target"
        ),
        (
            "write through archive symlink",
            RawTar.header("d", type: "2", link: "sub") + RawTar.file("d/evil.txt", "x")
                + RawTar.header("sub/", type: "5")
                + RawTar.end,
            "a directory is in the way"
        ),
        ("hard link escape", RawTar.header("h", type: "1", link: "../outside/secret") + RawTar.end, "contains '..'"),
        (
            "hard link to nothing", RawTar.header("h", type: "1", link: "never-extracted") + RawTar.end,
            "not a file extracted earlier"
        ),
        ("fifo", RawTar.header("pipe", type: "6") + RawTar.end, "device and FIFO"),
        ("device", RawTar.header("dev", type: "3") + RawTar.end, "device and FIFO"),
        ("bogus size", RawTar.header("f", sizeField: "9zzzzzzzzzz") + RawTar.end, "bogus size field"),
        (
            "huge size",
            RawTar.header("f", sizeBytes: [0x80, 0, 0, 0, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]) + RawTar.end,
            "over the limit"
        ),
        (
            "huge pax", RawTar.header("PaxHeaders/x", type: "x", size: 2 << 20) + RawTar.end,
            "metadata record is over the limit"
        ),
        ("bad pax", RawTar.pax(Array("99 path=a\n".utf8)) + RawTar.file("a", "x") + RawTar.end, "malformed pax record"),
        (
            "truncated", Array(RawTar.file("f", String(repeating: "y", count: 2000)).prefix(1024)),
            "ends inside a member"
        ),
    ]

    @Test(arguments: hostile.indices)
    func hostileArchiveIsRefusedAndNothingLeavesTheTarget(index: Int) throws {
        let (label, archive, expected) = Self.hostile[index]
        let directory = try TemporaryDirectory()
        let target = directory.sub("target")
        let outside = directory.sub("outside")
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try directory.write("outside/secret", Array("secret".utf8))
        let error = #expect(throws: TransferError.self, "\(label)") {
            try TarExtractor(into: target).extract(from: MemorySource(archive))
        }
        #expect(error.map { "\($0)".contains(expected) } == true, "\(label): \(String(describing: error))")
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside) == ["secret"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["outside", "target"])
        #expect(!FileManager.default.fileExists(atPath: "/tmp/evil.txt"))
    }

    @Test func existingSymlinkInTheTargetIsNeverWrittenThrough() throws {
        let directory = try TemporaryDirectory()
        let target = directory.sub("target")
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        try directory.write("outside/secret", Array("secret".utf8))
        try FileManager.default.createSymbolicLink(
            atPath: target + "/link",
            withDestinationPath: directory.sub("outside")
        )
        try FileManager.default.createSymbolicLink(
            atPath: target + "/file",
            withDestinationPath: directory.sub("outside/secret")
        )
        let through = #expect(throws: TransferError.self) {
            try TarExtractor(into: target).extract(from: MemorySource(RawTar.file("link/secret", "owned") + RawTar.end))
        }
        #expect(through.map { "\($0)".contains("symbolic link 'link'") } == true)
        // A member named like an existing link replaces the link; the file it pointed at is untouched.
        try TarExtractor(into: target).extract(from: MemorySource(RawTar.file("file", "new") + RawTar.end))
        #expect(try String(contentsOfFile: directory.sub("outside/secret"), encoding: .utf8) == "secret")
        #expect(try String(contentsOfFile: target + "/file", encoding: .utf8) == "new")
    }

    @Test func safeLinksAndHardLinksInsideTheTargetAreExtracted() throws {
        let directory = try TemporaryDirectory()
        let target = directory.sub("target")
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        let archive =
            RawTar.file("./a/data.txt", "payload") + RawTar.header("a/hard", type: "1", link: "a/data.txt")
            + RawTar.header("a/soft", type: "2", link: "data.txt")
            + RawTar.header("b/up", type: "2", link: "../a/data.txt")
            + RawTar.end
        let names = try TarExtractor(into: target).extract(from: MemorySource(archive))
        #expect(names == ["a/data.txt", "a/hard", "a/soft", "b/up"])
        for name in ["a/hard", "a/soft", "b/up"] {
            #expect(try String(contentsOfFile: target + "/" + name, encoding: .utf8) == "payload")
        }
    }
}

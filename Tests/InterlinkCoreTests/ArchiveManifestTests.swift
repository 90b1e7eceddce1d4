import InterlinkCore
import InterlinkTestSupport
import Testing

@Suite struct ArchiveManifestTests {
    private func tree() -> InMemoryFileSystem {
        var fs = InMemoryFileSystem()
        fs.addFile("/data/Run_1/input.dat", contents: "12345")
        fs.addFile("/data/Run_1/b.log", contents: "log")
        fs.addFile("/data/Run_1/sub/deep/model.inp", contents: "m")
        fs.addFile("/data/Run_1/sub/notes.txt", contents: "n")
        fs.addDirectory("/data/Run_1/empty")
        fs.addSymlink("/data/Run_1/link", target: "sub/notes.txt")
        return fs
    }

    private func names(_ input: ArchiveInput, _ fs: InMemoryFileSystem) throws -> [String] {
        try ArchiveManifest.make(for: input, in: fs).entries.map(\.name)
    }

    @Test func sortsEntriesBytewiseUnderARootDirectory() throws {
        let manifest = try ArchiveManifest.make(for: ArchiveInput(directory: "/data/Run_1"), in: tree())
        #expect(
            manifest.entries.map(\.name) == [
                "Run_1", "Run_1/b.log", "Run_1/empty", "Run_1/input.dat", "Run_1/link", "Run_1/sub",
                "Run_1/sub/deep", "Run_1/sub/deep/model.inp", "Run_1/sub/notes.txt",
            ]
        )
        #expect(manifest.totalBytes == 10)
        #expect(manifest.fileCount == 4)
        let link = try #require(manifest.entries.first { $0.name == "Run_1/link" })
        #expect(link.kind == .symlink(target: "sub/notes.txt"))
    }

    @Test(arguments: [
        ("/etc/passwd", "symbolic link '/data/Run_1/sub/link' points to the absolute path '/etc/passwd'"),
        (
            "../../elsewhere",
            "symbolic link '/data/Run_1/sub/link' points to '../../elsewhere', outside the "
                + "archived directory '/data/Run_1'"
        ),
    ])
    func linksLeadingOutsideTheDirectoryAreRefusedByName(target: String, message: String) throws {
        var fs = tree()
        fs.addSymlink("/data/Run_1/sub/link", target: target)
        let error = #expect(throws: ArchiveManifestError.self) {
            try ArchiveManifest.make(for: ArchiveInput(directory: "/data/Run_1"), in: fs)
        }
        #expect(error?.message == message)
        #expect(error?.help.contains("exclude it") == true)
        // Excluded, the link is no longer archived and no longer refused.
        #expect(throws: Never.self) {
            try ArchiveManifest.make(for: ArchiveInput(directory: "/data/Run_1", exclude: ["sub/link"]), in: fs)
        }
    }

    @Test func linksStayingInsideTheDirectoryAreKept() throws {
        var fs = tree()
        fs.addSymlink("/data/Run_1/sub/deep/up", target: "../notes.txt")
        let manifest = try ArchiveManifest.make(for: ArchiveInput(directory: "/data/Run_1"), in: fs)
        #expect(manifest.entries.contains { $0.kind == .symlink(target: "../notes.txt") })
    }

    @Test func filtersKeepOnlyAncestorDirectoriesAndExclusionWins() throws {
        let input = ArchiveInput(
            directory: "/data/Run_1",
            include: ["*.inp", "*.txt", "input.dat"],
            exclude: ["notes*"]
        )
        #expect(
            try names(input, tree()) == [
                "Run_1", "Run_1/input.dat", "Run_1/sub", "Run_1/sub/deep", "Run_1/sub/deep/model.inp",
            ]
        )
        let pathPattern = ArchiveInput(directory: "/data/Run_1", include: ["sub/**/*.inp"])
        #expect(try names(pathPattern, tree()) == ["Run_1", "Run_1/sub", "Run_1/sub/deep", "Run_1/sub/deep/model.inp"])
    }

    @Test func flattenStoresBasenamesAndRefusesDuplicates() throws {
        var fs = tree()
        let flat = ArchiveInput(directory: "/data/Run_1", exclude: ["link"], flatten: true)
        #expect(try names(flat, fs) == ["b.log", "input.dat", "model.inp", "notes.txt"])
        fs.addFile("/data/Run_1/other/notes.txt", contents: "again")
        let error = #expect(throws: ArchiveManifestError.self) { try names(flat, fs) }
        #expect(
            error?.message
                == "duplicate filename 'notes.txt' found in '/data/Run_1/other/notes.txt' and '/data/Run_1/sub/notes.txt'"
        )
    }

    @Test func subpathNamesTheRootAfterItsLastComponentAndIsGuarded() throws {
        #expect(
            try names(ArchiveInput(directory: "/data/Run_1", subpath: "sub/deep"), tree()) == [
                "deep", "deep/model.inp",
            ]
        )
        let escape = #expect(throws: ArchiveManifestError.self) {
            try names(ArchiveInput(directory: "/data/Run_1", subpath: "../Run_2"), tree())
        }
        #expect(escape?.message == "tar subpath '../Run_2' escapes run directory")
        let missing = #expect(throws: ArchiveManifestError.self) {
            try names(ArchiveInput(directory: "/data/Run_1", subpath: "nope"), tree())
        }
        #expect(missing?.message == "tar subpath 'nope' does not exist in '/data/Run_1'")
    }

    @Test func explicitFilesListAddsOnlyThoseAndTheirAncestors() throws {
        let input = ArchiveInput(directory: "/data/Run_1", files: ["sub/notes.txt", "b.log"])
        #expect(try names(input, tree()) == ["Run_1", "Run_1/b.log", "Run_1/sub", "Run_1/sub/notes.txt"])
        let outside = #expect(throws: ArchiveManifestError.self) {
            try names(ArchiveInput(directory: "/data/Run_1", files: ["../x"]), tree())
        }
        #expect(outside?.message == "file '../x' is outside the archived directory '/data/Run_1'")
        let missing = #expect(throws: ArchiveManifestError.self) {
            try names(ArchiveInput(directory: "/data/Run_1", files: ["gone.txt"]), tree())
        }
        #expect(missing?.message == "file 'gone.txt' does not exist in '/data/Run_1'")
    }

    @Test func absoluteNamesKeepTheFullPath() throws {
        let input = ArchiveInput(directory: "/data/Run_1", include: ["b.log"], absoluteNames: true)
        #expect(try names(input, tree()) == ["/data/Run_1", "/data/Run_1/b.log"])
    }

    @Test func malformedPatternIsAnError() throws {
        let error = #expect(throws: ArchiveManifestError.self) {
            try names(ArchiveInput(directory: "/data/Run_1", include: ["[abc"]), tree())
        }
        #expect(error?.message.hasPrefix("invalid pattern '[abc'") == true)
    }

    @Test func buildIsDeterministic() throws {
        let input = ArchiveInput(directory: "/data/Run_1", exclude: ["*.log"])
        #expect(try ArchiveManifest.make(for: input, in: tree()) == ArchiveManifest.make(for: input, in: tree()))
    }
}

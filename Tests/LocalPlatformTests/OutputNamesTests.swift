import Foundation
import LocalCloud
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite struct OutputNamesTests {
    /// Creates a file whose name is the given bytes.
    func createFile(_ name: [UInt8], in directory: String) {
        let path = Array(directory.utf8) + [UInt8(ascii: "/")] + name
        let descriptor = open(path.map { CChar(bitPattern: $0) } + [0], O_WRONLY | O_CREAT, 0o644)
        #expect(descriptor >= 0)
        close(descriptor)
    }

    @Test func escapesOnlyTheInvalidBytes() {
        #expect(OutputNames.escape(Array("bad".utf8) + [0xFF, 0xC3] + Array(".txt".utf8)) == "bad%FF%C3.txt")
        #expect(OutputNames.escape(Array("résumé 100%.txt".utf8)) == "résumé 100%.txt")
    }

    @Test func renamesNamesThatAreNotUTF8AndKeepsEveryOther() throws {
        let directory = temporaryDirectory("names")
        try FileManager.default.createDirectory(atPath: directory + "/.d", withIntermediateDirectories: true)
        createFile(Array("a".utf8) + [0xFF], in: directory)
        createFile(Array("a%FF".utf8), in: directory)
        createFile(Array(".d/".utf8) + [0xFE], in: directory)
        let long = String(repeating: "n", count: 255)
        createFile(Array(long.utf8), in: directory)
        let renames = OutputNames.normalize(in: directory).map { "\($0.from) -> \($0.to)" }.sorted()
        #expect(renames == [".d/%FE -> .d/%FE", "a%FF -> a%FF~2"])
        #expect(OutputListing.files(in: directory, excluding: [:]) == [".d/%FE", "a%FF", "a%FF~2", long])
    }

    @Test func objectNamesAreValidForAnyFileName() {
        #expect(ObjectDirectory.objectName(for: ".hidden").hasPrefix("hidden-"))
        #expect(ObjectDirectory.objectName(for: "...").hasPrefix("file-"))
        let long = ObjectDirectory.objectName(for: String(repeating: "é", count: 127) + ".txt")
        #expect(long.utf8.count <= 128 + 23 && long.hasPrefix(String(repeating: "é", count: 64) + "-"))
    }
}

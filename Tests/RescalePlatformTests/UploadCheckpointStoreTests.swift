import Foundation
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
}

import Foundation
import InterlinkSystem
import Testing

@Suite struct PathContainmentTests {
    /// `root/results/Run_1` (the destination), `root/outside`, and links planted in the destination.
    private func makeTree() throws -> (root: String, destination: String) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("contain-\(UUID().uuidString)").path
        let destination = root + "/results/Run_1"
        try FileManager.default.createDirectory(atPath: destination + "/sub", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/outside", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: destination + "/escape",
            withDestinationPath: "../../outside"
        )
        try FileManager.default.createSymbolicLink(atPath: destination + "/absolute", withDestinationPath: root)
        try FileManager.default.createSymbolicLink(atPath: destination + "/inner", withDestinationPath: "sub")
        return (root, destination)
    }

    @Test func acceptsPathsThatStayInsideEvenThroughInnerLinks() throws {
        let (root, destination) = try makeTree()
        defer { try? FileManager.default.removeItem(atPath: root) }
        for path in ["out.txt", "sub/out.txt", "new/deeper/out.txt", "inner/out.txt", "sub/../out.txt"] {
            #expect(PathContainment.isInside(destination + "/" + path, directory: destination), "\(path)")
        }
    }

    @Test func refusesPathsThatLeaveByNameOrByLink() throws {
        let (root, destination) = try makeTree()
        defer { try? FileManager.default.removeItem(atPath: root) }
        for path in [
            destination + "/../../../escaped/owned.txt", root + "/outside/x.txt", "/etc/passwd",
            destination + "/escape/owned.txt", destination + "/escape/new/owned.txt",
            destination + "/absolute/owned.txt", destination,
        ] {
            #expect(!PathContainment.isInside(path, directory: destination), "\(path)")
        }
    }

    @Test func aDestinationThatIsItselfALinkIsFollowedOnce() throws {
        let (root, _) = try makeTree()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let linked = root + "/linked-results"
        try FileManager.default.createSymbolicLink(atPath: linked, withDestinationPath: root + "/outside")
        #expect(PathContainment.isInside(linked + "/out.txt", directory: linked))
        #expect(PathContainment.isInside(linked + "/not-yet/out.txt", directory: linked))
    }
}

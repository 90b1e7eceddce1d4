import Foundation
import InterlinkTestSupport
import LocalCloud
import Testing

/// The local cloud's object store: completing objects and making their moves durable.
@Suite struct ObjectDirectoryTests {
    @Test func concurrentCompletionsShareDirectorySyncsAndLeaveOnlyObjectsAndSidecars() async throws {
        let root = temporaryDirectory("objects")
        let objects = try ObjectDirectory(root: root)
        let names = (0..<16).map { ObjectDirectory.objectName(for: "out-\($0).txt") }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, name) in names.enumerated() {
                group.addTask {
                    try objects.writePart(Data("object \(index)".utf8), of: name, at: 0)
                    try objects.complete(name, metadata: ["IV": "iv-\(index)"])
                    try await objects.syncDirectory()
                }
            }
            try await group.waitForAll()
        }
        for (index, name) in names.enumerated() {
            #expect(try objects.metadata(of: name) == ["iv": "iv-\(index)"])
            #expect(objects.size(of: name) == Int64("object \(index)".utf8.count))
        }
        // The sidecar is written in place: no temporary file is left beside the objects.
        let entries = try FileManager.default.contentsOfDirectory(atPath: root + "/objects")
        #expect(Set(entries) == Set(names + names.map { $0 + ".metadata.json" }), "\(entries.sorted())")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/uploads").isEmpty)
    }

    @Test func aDirectorySyncThatFailsIsAnErrorNamingTheDirectory() async throws {
        let root = temporaryDirectory("objects")
        let objects = try ObjectDirectory(root: root)
        try FileManager.default.removeItem(atPath: root + "/objects")
        await #expect {
            try await objects.syncDirectory()
        } throws: { error in
            guard case .io(let path, _) = error as? LocalCloudError else { return false }
            return path == root + "/objects"
        }
    }
}

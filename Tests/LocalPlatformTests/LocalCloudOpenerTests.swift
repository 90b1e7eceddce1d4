import Foundation
import InterlinkCore
import InterlinkTestSupport
import LocalCloud
import LocalPlatform
import Synchronization
import Testing

/// The local cloud is opened at the first call that needs it, once, whoever asks first.
@Suite struct LocalCloudOpenerTests {
    private func makeRoot() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("opener-\(UUID().uuidString)").path
    }

    @Test func concurrentFirstCallsOpenTheCloudOnceAndTheServerWaitsForIt() async throws {
        let root = makeRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let opens = Atomic(0)
        let opener = LocalCloudOpener { () throws(LocalCloudError) in
            opens.add(1, ordering: .relaxed)
            return try LocalCloud(root: root, cores: 1)
        }
        #expect(!opener.isOpened)
        async let served = opener.opened()
        let clouds = try await withThrowingTaskGroup(of: LocalCloud.self) { group in
            for _ in 0..<8 { group.addTask { try await opener.cloud() } }
            return try await group.reduce(into: [LocalCloud]()) { $0.append($1) }
        }
        #expect(opens.load(ordering: .relaxed) == 1)
        #expect(clouds.allSatisfy { $0 === clouds[0] })
        let waited = try #require(await served)
        #expect(try waited.get() === clouds[0])
        #expect(opener.isOpened)
    }

    @Test func aCloudThatCannotBeOpenedFailsEveryCallerWithItsError() async throws {
        let root = makeRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try Data("{\"not a record\n".utf8).write(to: URL(fileURLWithPath: root + "/records.jsonl"))
        let opener = LocalCloudOpener { () throws(LocalCloudError) in try LocalCloud(root: root, cores: 1) }
        for _ in 0..<2 {
            await #expect(throws: LocalCloudError.self) { try await opener.cloud() }
        }
        guard case .failure(.corrupt)? = await opener.opened() else {
            Issue.record("the server's wait should end with the corrupt record")
            return
        }
        // The platform turns it into a fatal platform error naming the record log.
        let platform = LazyLocalPlatform(opener: opener, fileSystem: InMemoryFileSystem())
        do {
            _ = try await platform.findJob(idempotencyKey: IdempotencyKey("k"))
            Issue.record("a platform over a corrupt cloud answered")
        } catch let error as PlatformError {
            #expect(error.retryClass == .fatal)
            #expect("\(error)".contains("records.jsonl"), "\(error)")
        }
    }

    @Test func theServersWaitEndsWhenItsTaskIsCancelledWithoutOpeningTheCloud() async {
        let opener = LocalCloudOpener { () throws(LocalCloudError) in
            throw LocalCloudError.io(path: "/nowhere", detail: "must not be opened")
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { #expect(await opener.opened() == nil) }
            group.cancelAll()
            await group.waitForAll()
        }
        // Cancelled while filed as a waiter, too.
        await withTaskGroup(of: Void.self) { group in
            group.addTask { #expect(await opener.opened() == nil) }
            try? await Task.sleep(for: .milliseconds(50))
            group.cancelAll()
            await group.waitForAll()
        }
        #expect(!opener.isOpened)
    }
}

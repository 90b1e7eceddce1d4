import Dispatch
import Foundation
import InterlinkSystem
import Testing

@Suite struct BlockingExecutorTests {
    /// More blocked workers than cores, each waiting for a release only a task on the cooperative pool gives.
    ///
    /// Run on the cooperative pool, the workers would hold every one of its threads and the release could never come.
    @Test func cooperativeTasksRunWhileMoreWorkersThanCoresBlock() async throws {
        let workers = 3 * ProcessInfo.processInfo.activeProcessorCount
        let release = DispatchSemaphore(value: 0)
        let released = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<workers {
                group.addTask { await Blocking.run { release.wait(timeout: .now() + 20) == .success } }
            }
            group.addTask {
                await Task.yield()
                for _ in 0..<workers { release.signal() }
                return true
            }
            var released = 0
            for try await wasReleased in group where wasReleased { released += 1 }
            return released
        }
        #expect(released == workers + 1)
    }

    /// More blocking actors than cores on a serial thread executor leave the cooperative pool free: on their default
    /// executors they would hold every cooperative thread, and the release could never come.
    @Test func actorsOnASerialThreadBlockWithoutHoldingTheCooperativePool() async {
        let actors = (0..<3 * ProcessInfo.processInfo.activeProcessorCount).map { _ in BlockingActor() }
        let release = DispatchSemaphore(value: 0)
        let released = await withTaskGroup(of: Bool.self) { group in
            for actor in actors { group.addTask { await actor.wait(for: release) } }
            group.addTask {
                await Task.yield()
                for _ in actors { release.signal() }
                return true
            }
            var released = 0
            for await wasReleased in group where wasReleased { released += 1 }
            return released
        }
        #expect(released == actors.count + 1)
        for actor in actors { #expect(await actor.log == ["waited"]) }
    }

    @Test func returnsTheResultAndRethrowsTheError() async throws {
        struct Failure: Error, Equatable {}
        #expect(await Blocking.run { 6 * 7 } == 42)
        await #expect(throws: Failure.self) { try await Blocking.run { () throws(Failure) -> Int in throw Failure() } }
        #expect(await Blocking.onOwnThread { "waited" } == "waited")
    }
}

/// An actor that blocks on the local cloud's serial thread.
private actor BlockingActor {
    nonisolated var unownedExecutor: UnownedSerialExecutor {
        SerialThreadExecutor.localCloud.asUnownedSerialExecutor()
    }
    private(set) var log: [String] = []

    func wait(for release: DispatchSemaphore) -> Bool {
        let released = release.wait(timeout: .now() + 20) == .success
        log.append("waited")
        return released
    }
}

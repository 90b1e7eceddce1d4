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

    @Test func returnsTheResultAndRethrowsTheError() async throws {
        struct Failure: Error, Equatable {}
        #expect(await Blocking.run { 6 * 7 } == 42)
        await #expect(throws: Failure.self) { try await Blocking.run { () throws(Failure) -> Int in throw Failure() } }
        #expect(await Blocking.onOwnThread { "waited" } == "waited")
    }
}

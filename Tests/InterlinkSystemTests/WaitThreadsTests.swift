import Dispatch
import Foundation
import InterlinkSystem
import Testing

/// `WaitThreads` (``Blocking/onOwnThread(_:)``): a thread per wait at once, reused after, ended when idle.
@Suite struct WaitThreadsTests {
    @Test func aWaitThatEndedLeavesItsThreadToTheNextOne() async {
        let threads = WaitThreads(idleLifetime: .seconds(10))
        let marker = "interlink-test-\(UUID().uuidString)"
        let ran = DispatchSemaphore(value: 0)
        threads.run {
            Thread.current.threadDictionary[marker] = true
            ran.signal()
        }
        #expect(ran.wait(timeout: .now() + 10) == .success)
        for _ in 0..<500 where threads.idleThreadCount == 0 { try? await Task.sleep(for: .milliseconds(2)) }
        let same = await withCheckedContinuation { continuation in
            threads.run { continuation.resume(returning: Thread.current.threadDictionary[marker] != nil) }
        }
        #expect(same, "the second wait ran on the first one's thread")
        #expect(threads.threadCount == 1)
        // Through `Blocking.onOwnThread`, as every process's exit is awaited.
        #expect(await Blocking.onOwnThread { 6 * 7 } == 42)
    }

    @Test func waitsAtTheSameTimeEachHaveAThreadAndIdleThreadsEnd() async {
        let threads = WaitThreads(idleLifetime: .milliseconds(50))
        let count = 3
        let arrived = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        // Each wait holds its thread until all have started: on a shared thread this could never happen.
        for _ in 0..<count {
            threads.run {
                arrived.signal()
                _ = release.wait(timeout: .now() + 10)
                done.signal()
            }
        }
        var started = 0
        for _ in 0..<count where arrived.wait(timeout: .now() + 10) == .success { started += 1 }
        #expect(started == count)
        #expect(threads.threadCount == count)
        for _ in 0..<count { release.signal() }
        for _ in 0..<count { _ = done.wait(timeout: .now() + 10) }
        for _ in 0..<200 where threads.threadCount > 0 { try? await Task.sleep(for: .milliseconds(10)) }
        #expect(threads.threadCount == 0, "idle threads end after their idle lifetime")
    }
}

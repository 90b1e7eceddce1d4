import Foundation
import InterlinkCore
import InterlinkEngine
import Testing

@Suite struct StepStateTests {
    @Test func theFieldsFewStepsSetAreOutOfLineAndKeepValueSemantics() {
        // A run keeps every node's step states to its end: inline, the optional payloads made each several hundred
        // bytes (about 2 KiB a node with its dictionary's spare room).
        #expect(MemoryLayout<StepState>.size <= 128, "StepState is \(MemoryLayout<StepState>.size) bytes")
        var state = StepState()
        state.jobID = JobID("j1")
        #expect(state != StepState())
        var copy = state
        copy.download = DownloadedFile(path: "out.txt", bytes: 3, sha512: "ab")
        copy.outputs = [RemoteOutput(id: FileID("f1"), relativePath: "out.txt", name: "out.txt", bytes: 3, sha512: nil)]
        // Copied on write: the original keeps nothing of the copy's payload.
        #expect(state.download == nil && state.outputs == nil)
        #expect(copy.download?.path == "out.txt" && copy.outputs?.count == 1 && copy.jobID == JobID("j1"))
        copy.download = nil
        copy.outputs = nil
        // Cleared, the payload is gone: equal (and hashed equal) to the state that never had one.
        #expect(copy == state && copy.hashValue == state.hashValue)
        copy.error = RecordedError(message: "boom", retryClass: .fatal)
        copy.deadline = Date(timeIntervalSince1970: 10)
        #expect(copy.error?.message == "boom" && copy.deadline == Date(timeIntervalSince1970: 10))
        #expect(copy != state)
    }
}

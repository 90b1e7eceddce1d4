import Foundation
import InterlinkTransfer
import Testing

@Suite struct PartSpoolTests {
    /// A part spooled in pieces reads back whole from any offset, leaves no file behind, and a reset spool holds
    /// the next part only (even when it is shorter than the previous one).
    @Test func spooledBytesReadBackAndTheSpoolIsReusedWithoutAName() throws {
        let directory = try TemporaryDirectory()
        let spool = try PartSpool(directory: directory.path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
        let first = patternBytes(300_001, seed: 3)
        for start in stride(from: 0, to: first.count, by: 65_536) {
            first[start..<min(start + 65_536, first.count)].withUnsafeBytes { spool.append($0) }
        }
        try spool.check(path: "part 1")
        #expect(spool.count == first.count)
        #expect(try readAll(spool, chunk: 100_000) == first)
        var tail = [UInt8](repeating: 0, count: 10)
        let count = try tail.withUnsafeMutableBytes { try spool.read(at: first.count - 4, into: $0) }
        #expect(count == 4 && Array(tail[..<4]) == Array(first.suffix(4)))
        spool.reset()
        let second = patternBytes(1000, seed: 4)
        second.withUnsafeBytes { spool.append($0) }
        #expect(spool.count == 1000)
        #expect(try readAll(spool, chunk: 512) == second)
    }

    private func readAll(_ spool: PartSpool, chunk: Int) throws -> [UInt8] {
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: chunk)
        while true {
            let count = try buffer.withUnsafeMutableBytes { try spool.read(at: result.count, into: $0) }
            if count == 0 { return result }
            result += buffer[..<count]
        }
    }
}

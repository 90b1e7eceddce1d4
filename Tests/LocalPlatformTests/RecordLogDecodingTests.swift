import Foundation
import InterlinkCore
import InterlinkTestSupport
import Testing

@testable import LocalCloud

/// A large log (a root a 10,000-job run left: tens of MB) is decoded in chunks at once, in order, and a corrupt
/// line is still named by its byte, whichever chunk holds it.
@Suite(.tags(.integration)) struct RecordLogDecodingTests {
    /// A log of `count` job lines made from one real line, each with its own id, and the ids in order.
    static func largeLog(count: Int) async throws -> (root: String, ids: [String], lines: [String]) {
        let root = temporaryDirectory("log")
        let cloud = try LocalCloud(root: root)
        let job = try await cloud.createJob(
            LocalCloudTests.body("true"),
            idempotencyKey: IdempotencyKey("run/job:a/create")
        )
        let line = try #require(LocalCloudTests.logLines(root).first)
        let ids = (0..<count).map { String(format: "J%07d", $0) }
        let lines = ids.map { line.replacingOccurrences(of: "\"id\":\"\(job.id.rawValue)\"", with: "\"id\":\"\($0)\"") }
        #expect(lines.allSatisfy { $0 != line })
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: root + "/records.jsonl"))
        return (root, ids, lines)
    }

    @Test func aLargeLogDecodesInOrder() async throws {
        let (root, ids, lines) = try await Self.largeLog(count: 6_000)
        #expect(lines.reduce(0) { $0 + $1.utf8.count + 1 } > 2 * RecordLog.parallelDecodingBytes, "several chunks")
        let decoded = try RecordLog(root: root, writable: false).readNew().lines
        #expect(decoded.compactMap { $0.job?.id.rawValue } == ids)
        // A reopened cloud holds every record.
        let cloud = try LocalCloud(root: root)
        #expect(try await cloud.jobRecord(JobID(ids[4_321])).id.rawValue == ids[4_321])
    }

    @Test func aCorruptLineInALaterChunkIsNamedByItsByte() async throws {
        var (root, _, lines) = try await Self.largeLog(count: 6_000)
        lines[5_000] = "{\"job\":{\"id\":"
        let bytes = lines.joined(separator: "\n") + "\n"
        try Data(bytes.utf8).write(to: URL(fileURLWithPath: root + "/records.jsonl"))
        let at = lines[..<5_000].reduce(0) { $0 + $1.utf8.count + 1 }
        #expect {
            _ = try RecordLog(root: root, writable: false).readNew()
        } throws: { error in
            guard case .corrupt(_, let detail) = error as? LocalCloudError else { return false }
            return detail.hasPrefix("the line at byte \(at):")
        }
    }

    /// Seven whole records per job, as a run leaves them: only the last of each is decoded, and the records read
    /// back are the last ones; a removal between two lines of one job is applied in its place.
    @Test func replacedLinesAreSkippedAndTheLastRecordOfEachJobWins() async throws {
        let (root, ids, lines) = try await Self.largeLog(count: 1_000)
        var log: [String] = []
        for round in 0..<7 {
            for line in lines {
                log.append(line.replacingOccurrences(of: "\"submitCount\":0", with: "\"submitCount\":\(round)"))
            }
            if round == 3 { log.append("{\"removedJobs\":[\"\(ids[10])\",\"\(ids[11])\"]}") }
        }
        // A job removed after its last line stays removed.
        log.append("{\"removedJobs\":[\"\(ids[12])\"]}")
        try Data((log.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: root + "/records.jsonl"))
        let decoded = try RecordLog(root: root, writable: false).readNew().lines
        #expect(decoded.compactMap(\.job).count == 1_000, "one line per job decoded")
        #expect(decoded.compactMap(\.job).allSatisfy { $0.submitCount == 6 })
        let cloud = try LocalCloud(root: root)
        #expect(try await cloud.jobRecord(JobID(ids[10])).submitCount == 6, "re-added after its removal")
        await #expect(throws: LocalCloudError.self) { try await cloud.jobRecord(JobID(ids[12])) }
        #expect(try await cloud.jobRecord(JobID(ids[999])).submitCount == 6)
    }

    /// The id read from a line is the record's own, never one nested in its body or inside a string.
    @Test func theReplacedRecordIsTheRecordsOwnID() {
        func key(_ line: String) -> String? {
            Array(line.utf8).withUnsafeBufferPointer { RecordLog.replacedRecord(in: $0) }
        }
        let nested = #"{"job":{"body":{"inputFiles":[{"id":"NESTED"}],"name":"a\"id\":\"X"},"id":"OWN","n":1}}"#
        #expect(key(nested) == "jOWN")
        #expect(key(#"{"file":{"a":[1,{"id":"N"}],"id":"F1"}}"#) == "fF1")
        #expect(key(#"{"job":{"body":{"id":"NESTED"}}}"#) == nil, "no id of its own")
        #expect(key(#"{"removedJobs":["A"]}"#) == nil)
        #expect(key(#"{"job":{"id":"a\u0041"}}"#) == nil, "an escaped id is left to the decoder")
        #expect(key(#"{"job":{"id":"tor"#) == nil)
    }
}

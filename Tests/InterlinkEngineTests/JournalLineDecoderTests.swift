import Foundation
import InterlinkCore
import Testing

@testable import InterlinkEngine

/// The direct journal line decoder must agree with `JSONDecoder` on every line the journal writes, and decline
/// (so the reader falls back) on anything it does not fully understand.
@Suite struct JournalLineDecoderTests {
    static func records() -> [JournalRecord] {
        let node = NodeID.job("Run \"1\" ü 🚀\\x")
        let upload = StepRef(.upload, item: "0")
        let key = upload.idempotencyKey(run: RunID("r"), node: node)
        var failed = JournalEntry.Outcome(node: node, step: StepRef(.create), attempt: 2, key: key, result: .failed)
        failed.error = RecordedError(message: "line\nbreak\t\"quoted\" \u{1}", retryClass: .needsReconcile)
        var uploaded = JournalEntry.Outcome(
            node: node,
            step: upload,
            attempt: 1,
            key: key,
            result: .succeeded,
            reconciled: true
        )
        uploaded.object = UploadedObject(
            name: "Run_1.tar",
            storagePath: "objects/a/b",
            plaintextBytes: 1024,
            sha512: "ab",
            attributes: ["k": "v"]
        )
        var listed = JournalEntry.Outcome(
            node: node,
            step: StepRef(.download),
            attempt: 1,
            key: key,
            result: .succeeded
        )
        listed.outputs = [RemoteOutput(id: FileID("F1"), relativePath: "a/b.txt", name: "b.txt", bytes: 3, sha512: nil)]
        var downloaded = JournalEntry.Outcome(
            node: node,
            step: StepRef(.download, item: "a/b.txt"),
            attempt: 1,
            key: key,
            result: .succeeded
        )
        downloaded.download = DownloadedFile(path: "/tmp/a/b.txt", bytes: 3, sha512: "cd")
        var created = JournalEntry.Outcome(node: node, step: StepRef(.create), attempt: 1, key: key, result: .succeeded)
        created.jobID = JobID("J1")
        var registered = JournalEntry.Outcome(
            node: node,
            step: StepRef(.register, item: "0"),
            attempt: 1,
            key: key,
            result: .succeeded
        )
        registered.fileID = FileID("F9")
        var adopted = JournalEntry.Outcome(
            node: node,
            step: StepRef(.create),
            attempt: 2,
            key: key,
            result: .succeeded,
            reconciled: true
        )
        adopted.jobID = JobID("J1")
        adopted.removedJobs = [JobID("J2"), JobID("J3")]
        var polled = JournalEntry.Outcome(node: node, step: StepRef(.poll), attempt: 1, key: key, result: .succeeded)
        polled.status = "completed"
        polled.statusReason = "exit 0"
        let records: [JournalRecord] = [
            .runStarted(RunID("20261125-101010-abcd"), pid: 4242, resumed: true),
            .nodePlanned(node, name: "Run \"1\"", contentHash: "sha256:00ff"),
            .intent(node, upload, attempt: 1, key: key),
            .intent(node, StepRef(.create), attempt: 2, key: key, deadline: Date(timeIntervalSince1970: 1_790_000_035)),
            .checkpoint(
                node,
                upload,
                key: key,
                UploadCheckpoint(payload: "{\"part\":3,\"iv\":\"/x\"}", committedBytes: 8_388_608)
            ),
            .outcome(failed), .outcome(uploaded), .outcome(listed), .outcome(downloaded), .outcome(created),
            .outcome(registered), .outcome(adopted), .outcome(polled),
            .jobStatus(node, job: JobID("J1"), status: .completed(.failure(reason: "exit 2"))),
            .nodePlanned(NodeID.shared("mesh"), name: "mesh", contentHash: "sha256:11"),
            .nodeBlocked(node, by: NodeID.shared("mesh")),
            .runFinished(.interrupted),
        ]
        return records.enumerated().map { offset, record in
            var record = record
            record.seq = offset + 1
            record.time = Date(timeIntervalSince1970: 1_790_000_000 + Double(offset))
            return record
        }
    }

    @Test func lineKeysAreExactlyTheSchemaProperties() throws {
        let schema = try SchemaTests.schema("journal.schema.json")
        let properties = Set((schema["properties"] as? [String: Any] ?? [:]).keys)
        let keys = Set(Mirror(reflecting: JournalLine()).children.compactMap(\.label))
        #expect(keys == properties)
    }

    static func fast(_ line: Data) -> JournalRecord? {
        line.withUnsafeBytes { JournalLineDecoder.decode($0.bindMemory(to: UInt8.self)) }
    }

    @Test func agreesWithJSONDecoderOnEveryRecordKind() throws {
        let encoder = Journal.makeEncoder()
        for record in Self.records() {
            let line = try encoder.encode(record)
            let expected = try JournalReader.makeDecoder().decode(JournalRecord.self, from: line)
            let decoded = try #require(Self.fast(line), "declined: \(String(decoding: line, as: UTF8.self))")
            #expect(decoded == expected)
            #expect(decoded == record)
        }
    }

    @Test func agreesWithJSONDecoderOnASyntheticJournal() throws {
        let data = try JournalFixtures.synthetic(records: 2_000)
        let decoder = JournalReader.makeDecoder()
        for line in data.split(separator: UInt8(ascii: "\n")) {
            let expected = try decoder.decode(JournalRecord.self, from: Data(line))
            #expect(Self.fast(Data(line)) == expected)
        }
    }

    @Test(arguments: [
        #"{"kind":"intent","seq":1,"unknown":2,"time":"2026-11-25T10:00:00Z","v":1}"#,
        #"{"kind":"intent","seq":1.5,"time":"2026-11-25T10:00:00Z","v":1}"#,
        #"{"kind":"nonsense","seq":1,"time":"2026-11-25T10:00:00Z","v":1}"#,
        #"{"kind":"intent","seq":1,"time":"2026-11-25T10:00:00Z","v":1} trailing"#,
        #"{"seq":1,"time":"2026-11-25T10:00:00Z","v":1}"#,
        #"{"kind":"intent","name":"bad \q escape","seq":1,"time":"2026-11-25T10:00:00Z","v":1}"#,
    ])
    func declinesWhatItDoesNotFullyUnderstand(line: String) {
        #expect(Self.fast(Data(line.utf8)) == nil)
    }

    @Test func readerResultIsUnchangedForAMixOfFastAndFallbackLines() throws {
        let encoder = Journal.makeEncoder()
        var data = Data()
        for record in Self.records() {
            data.append(try encoder.encode(record))
            data.append(UInt8(ascii: "\n"))
        }
        // A key from a newer writer: the fast path declines, JSONDecoder (which ignores it) reads the line.
        data.append(
            Data(
                (#"{"attempt":2,"future":{"x":[1]},"key":"k","kind":"intent","node":"job:Run \"1\" ü 🚀\\x","seq":18,"#
                    + #""stage":"create","time":"2026-11-25T10:00:00Z","v":1}"#).utf8
            )
        )
        data.append(UInt8(ascii: "\n"))
        let contents = try JournalReader.parse(data, path: "j")
        #expect(contents.records.count == 18)
        #expect(Array(contents.records.prefix(17)) == Self.records())
        guard case .intent(let intent) = contents.records.last?.entry else {
            Issue.record("the last record is not an intent: \(String(describing: contents.records.last))")
            return
        }
        #expect(intent.attempt == 2)
        #expect(intent.step == StepRef(.create))
    }
}

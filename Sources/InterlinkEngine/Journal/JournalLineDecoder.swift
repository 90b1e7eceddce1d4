import Foundation
import InterlinkCore

/// A direct decoder for one journal line as ``Journal`` writes it: a flat JSON object of known keys.
///
/// Replay spends most of its time in `JSONDecoder` (a container and a key lookup per optional field, a nested
/// decoder per identifier). This reads the bytes once and builds the record directly. It accepts only what it
/// fully understands and returns nil for anything else (an unknown key, a number with a fraction, invalid JSON, a
/// record that ``JournalRecord/init(_:)`` refuses), so the caller falls back to `JSONDecoder` and the result, or
/// the error naming the line, stays the same.
struct JournalLineDecoder {
    /// The line's bytes.
    let bytes: UnsafeBufferPointer<UInt8>
    /// The read position.
    var index = 0

    /// Decodes one line (without its newline); nil when the fast path does not apply.
    static func decode(_ line: UnsafeBufferPointer<UInt8>) -> JournalRecord? {
        var decoder = JournalLineDecoder(bytes: line)
        return decoder.record()
    }

    private init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    private mutating func record() -> JournalRecord? {
        var record = JournalLine()
        guard take(UInt8(ascii: "{")) else { return nil }
        if take(UInt8(ascii: "}")) { return nil }
        repeat {
            guard let key = string(), take(UInt8(ascii: ":")) else { return nil }
            if peek == UInt8(ascii: "n") {  // null: the field is absent
                guard literal("null") else { return nil }
                continue
            }
            switch key {
            case "v":
                guard let value = integer() else { return nil }
                record.v = value
            case "seq":
                guard let value = integer() else { return nil }
                record.seq = value
            case "time":
                guard let text = string(), let date = JournalDate.parse(text) else { return nil }
                record.time = date
            case "kind":
                guard let kind = string().flatMap(JournalRecordKind.init(rawValue:)) else { return nil }
                record.kind = kind
            case "run":
                guard let value = string() else { return nil }
                record.run = RunID(value)
            case "pid":
                guard let value = integer(), let pid = Int32(exactly: value) else { return nil }
                record.pid = pid
            case "resumed":
                guard let value = boolean() else { return nil }
                record.resumed = value
            case "platform":
                guard let value = string() else { return nil }
                record.platform = value
            case "node":
                guard let value = string() else { return nil }
                record.node = NodeID(rawValue: value)
            case "name":
                guard let value = string() else { return nil }
                record.name = value
            case "contentHash":
                guard let value = string() else { return nil }
                record.contentHash = value
            case "stage":
                guard let stage = string().flatMap(StageKind.init(rawValue:)) else { return nil }
                record.stage = stage
            case "item":
                guard let value = string() else { return nil }
                record.item = value
            case "attempt":
                guard let value = integer() else { return nil }
                record.attempt = value
            case "key":
                guard let value = string() else { return nil }
                record.key = IdempotencyKey(value)
            case "result":
                guard let result = string().flatMap(StepResult.init(rawValue:)) else { return nil }
                record.result = result
            case "reconciled":
                guard let value = boolean() else { return nil }
                record.reconciled = value
            case "checkpoint":
                guard let value = checkpoint() else { return nil }
                record.checkpoint = value
            case "fileID":
                guard let value = string() else { return nil }
                record.fileID = FileID(value)
            case "jobID":
                guard let value = string() else { return nil }
                record.jobID = JobID(value)
            case "status":
                guard let value = string() else { return nil }
                record.status = value
            case "statusReason":
                guard let value = string() else { return nil }
                record.statusReason = value
            case "error":
                guard let value = recordedError() else { return nil }
                record.error = value
            case "dependency":
                guard let value = string() else { return nil }
                record.dependency = NodeID(rawValue: value)
            case "runResult":
                guard let result = string().flatMap(RunResult.init(rawValue:)) else { return nil }
                record.runResult = result
            case "object":
                guard let value = nested(UploadedObject.self) else { return nil }
                record.object = value
            case "outputs":
                guard let value = nested([RemoteOutput].self) else { return nil }
                record.outputs = value
            case "deadline":
                guard let text = string(), let date = JournalDate.parse(text) else { return nil }
                record.deadline = date
            case "removedJobs":
                guard let value = nested([JobID].self) else { return nil }
                record.removedJobs = value
            case "download":
                guard let value = nested(DownloadedFile.self) else { return nil }
                record.download = value
            default: return nil
            }
        } while take(UInt8(ascii: ","))
        guard take(UInt8(ascii: "}")) else { return nil }
        skipSpace()
        guard index == bytes.count else { return nil }
        return try? JournalRecord(record)
    }

    private mutating func checkpoint() -> UploadCheckpoint? {
        var payload: String?
        var committed: Int?
        guard
            object({ decoder, key in
                switch key {
                case "payload": payload = decoder.string()
                case "committedBytes": committed = decoder.integer()
                default: return false
                }
                return true
            }), let payload, let committed
        else { return nil }
        return UploadCheckpoint(payload: payload, committedBytes: Int64(committed))
    }

    private mutating func recordedError() -> RecordedError? {
        var message: String?
        var retryClass: RetryClass?
        guard
            object({ decoder, key in
                switch key {
                case "message": message = decoder.string()
                case "retryClass": retryClass = decoder.string().flatMap(RetryClass.init(rawValue:))
                default: return false
                }
                return true
            }), let message, let retryClass
        else { return nil }
        return RecordedError(message: message, retryClass: retryClass)
    }

    /// Reads a flat object, handing each key to `field`, which reads the value; false when `field` refuses a key.
    private mutating func object(_ field: (inout JournalLineDecoder, String) -> Bool) -> Bool {
        guard take(UInt8(ascii: "{")) else { return false }
        if take(UInt8(ascii: "}")) { return true }
        repeat {
            guard let key = string(), take(UInt8(ascii: ":")), field(&self, key) else { return false }
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "}"))
    }

    /// A rarely written nested value (an uploaded object, an output listing): skipped over, then decoded by
    /// `JSONDecoder` on its own bytes.
    private mutating func nested<Value: Decodable>(_ type: Value.Type) -> Value? {
        skipSpace()
        let start = index
        var depth = 0
        var inString = false
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if inString {
                if byte == UInt8(ascii: "\\") { index += 1 } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 {
                    let data = Data(UnsafeBufferPointer(rebasing: bytes[start..<index]))
                    return try? JournalReader.makeDecoder().decode(type, from: data)
                }
            default: continue
            }
        }
        return nil
    }
}

import Foundation
import InterlinkCore
import InterlinkSystem

/// LocalCloud's JSON records on disk (the layout of earlier versions, object sidecars), read through the OS layer's
/// ``AtomicFile``, failures as `LocalCloudError`.
enum RecordFile {
    /// Reads and decodes a record written as ``AtomicFile/encodeJSON(_:)`` encodes it.
    ///
    /// - Throws: `LocalCloudError.corrupt` when the file cannot be read or decoded.
    static func read<Value: Decodable>(_ type: Value.Type, from path: String) throws(LocalCloudError) -> Value {
        do {
            return try AtomicFile.readJSON(type, from: path)
        } catch {
            throw LocalCloudError.corrupt(path: path, detail: ErrorText.describe(error))
        }
    }
}

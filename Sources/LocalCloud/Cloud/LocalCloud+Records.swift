import Foundation
import InterlinkCore
import InterlinkSystem

/// LocalCloud's records on disk: JSON written through the OS layer's ``AtomicFile``, failures as `LocalCloudError`.
enum RecordFile {
    /// Encodes `value` as sorted JSON and replaces `path` with it atomically.
    ///
    /// - Parameters:
    ///   - value: The record.
    ///   - path: Where it goes.
    ///   - syncsDirectory: Whether the rename is made durable here (false: the caller syncs the directory).
    /// - Throws: `LocalCloudError` (`.corrupt` when encoding fails, `.io` when writing does).
    static func write(json value: some Encodable, to path: String, syncsDirectory: Bool = true)
        throws(LocalCloudError)
    {
        let data: Data
        do {
            data = try AtomicFile.encodeJSON(value)
        } catch {
            throw LocalCloudError.corrupt(path: path, detail: ErrorText.describe(error))
        }
        do {
            try AtomicFile.write(data, to: path, syncsDirectory: syncsDirectory)
        } catch {
            throw LocalCloudError.io(path: error.path, errno: error.code)
        }
    }

    /// Reads and decodes a record written by ``write(json:to:)``.
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

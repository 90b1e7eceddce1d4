import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes whole files so a reader (or a crash) sees either the old contents or the new, never a mix: a temporary
/// sibling is written and fsynced, renamed over the target, and the directory is fsynced.
package enum AtomicFile {
    /// The marker in temporary siblings' names; files containing it are leftovers of an interrupted write.
    package static let temporaryMarker = ".tmp-"

    /// Replaces `path` with `data`.
    ///
    /// - Parameters:
    ///   - data: The new contents.
    ///   - path: The file to replace.
    ///   - syncsDirectory: Whether the directory is fsynced here; false when the caller syncs it once after several
    ///     renames in it.
    /// - Throws: `SystemError` when any step fails; the target is then unchanged.
    package static func write(_ data: Data, to path: String, syncsDirectory: Bool = true) throws(SystemError) {
        let temporary = path + temporaryMarker + UUID().uuidString
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw SystemError(path: temporary, operation: "create", code: errno) }
        let written = data.withUnsafeBytes { bytes -> Bool in
            var offset = 0
            while offset < bytes.count {
                let count = systemWrite(descriptor, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
                if count < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += count
            }
            return true
        }
        let synced = written && fsync(descriptor) == 0
        let failure = errno
        close(descriptor)
        guard synced, rename(temporary, path) == 0 else {
            let reason = synced ? errno : failure
            unlink(temporary)
            throw SystemError(path: path, operation: "write", code: reason)
        }
        if syncsDirectory { syncDirectory(of: path) }
    }

    /// Encodes `value` as sorted, pretty-printed JSON (ISO 8601 dates).
    ///
    /// - Parameter value: The record.
    /// - Returns: The JSON bytes.
    /// - Throws: The encoder's error.
    package static func encodeJSON(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(value)
    }

    /// Reads and decodes a JSON file written from ``encodeJSON(_:)``.
    ///
    /// - Parameters:
    ///   - type: The record type.
    ///   - path: The file.
    /// - Returns: The record.
    /// - Throws: The read's or the decoder's error.
    package static func readJSON<Value: Decodable>(_ type: Value.Type, from path: String) throws -> Value {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(type, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    private static func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.write(descriptor, bytes, count)
        #else
        Darwin.write(descriptor, bytes, count)
        #endif
    }

    /// Makes a rename in the file's directory durable.
    ///
    /// - Parameter path: A file whose directory entry changed.
    package static func syncDirectory(of path: String) {
        let directory = open((path as NSString).deletingLastPathComponent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directory >= 0 else { return }
        _ = fsync(directory)
        close(directory)
    }
}

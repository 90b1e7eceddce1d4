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
    /// - Throws: `LocalCloudError` with `.io` when any step fails; the target is then unchanged.
    package static func write(_ data: Data, to path: String) throws(LocalCloudError) {
        let temporary = path + temporaryMarker + UUID().uuidString
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw LocalCloudError.io(path: temporary, errno: errno) }
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
            throw LocalCloudError.io(path: path, errno: reason)
        }
        syncDirectory(of: path)
    }

    /// Encodes `value` as sorted JSON and writes it atomically.
    ///
    /// - Throws: `LocalCloudError` when encoding or writing fails.
    package static func write(json value: some Encodable, to path: String) throws(LocalCloudError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        encoder.dateEncodingStrategy = .iso8601
        let data: Data
        do {
            data = try encoder.encode(value)
        } catch {
            throw LocalCloudError.corrupt(path: path, detail: "\(error)")
        }
        try write(data, to: path)
    }

    /// Reads and decodes a JSON file written by ``write(json:to:)``.
    ///
    /// - Throws: `LocalCloudError` when the file cannot be read or decoded.
    package static func read<Value: Decodable>(_ type: Value.Type, from path: String) throws(LocalCloudError) -> Value {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(type, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw LocalCloudError.corrupt(path: path, detail: "\(error)")
        }
    }

    private static func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.write(descriptor, bytes, count)
        #else
        Darwin.write(descriptor, bytes, count)
        #endif
    }

    /// Makes a rename in the file's directory durable.
    static func syncDirectory(of path: String) {
        let directory = open((path as NSString).deletingLastPathComponent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directory >= 0 else { return }
        _ = fsync(directory)
        close(directory)
    }
}

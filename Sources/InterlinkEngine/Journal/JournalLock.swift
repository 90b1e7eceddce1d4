#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The exclusive `flock` on a run's `lock` file, holding the owner's pid as text.
///
/// Released on ``release()`` or when the process dies, so a crashed runner never leaves a stale lock.
package final class JournalLock: Sendable {
    private let descriptor: Int32
    /// The lock file's path.
    package let path: String

    /// Takes the lock without waiting.
    ///
    /// - Throws: `JournalError` naming the holder's pid when another runner (in any process, or another open of
    ///   the same run in this one) holds it.
    package init(path: String) throws(JournalError) {
        self.path = path
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw JournalError(.io("cannot open lock file (errno \(errno))"), path: path) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = Self.readPID(descriptor)
            close(descriptor)
            throw JournalError(.locked(pid: holder), path: path)
        }
        self.descriptor = descriptor
        let text = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = text.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }

    /// Releases the lock.
    package func release() {
        _ = flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    private static func readPID(_ descriptor: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        let text = String(decoding: buffer[0..<count], as: UTF8.self).split(separator: "\n").first ?? ""
        return Int32(text)
    }
}

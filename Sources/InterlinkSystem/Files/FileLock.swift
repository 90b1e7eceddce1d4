#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive `flock` on a file that holds its owner's pid as text.
///
/// Released on ``release()`` or when the process dies, so a crashed owner never leaves a stale lock behind.
package final class FileLock: Sendable {
    /// Why the lock could not be taken.
    package enum Failure: Error, Hashable, Sendable {
        /// Another owner holds it (its pid, when the file says).
        case held(pid: Int32?)
        /// The lock file could not be opened.
        case unusable(SystemError)
    }

    private let descriptor: Int32
    /// The lock file's path.
    package let path: String

    /// Takes the lock, creating the file (mode 0600) when it is missing.
    ///
    /// - Parameters:
    ///   - path: The lock file.
    ///   - waiting: Whether to block until the lock is free (for locks held only briefly); by default a held lock
    ///     fails at once.
    /// - Throws: ``Failure`` naming the holder's pid when another owner (in any process, or another open of the same
    ///   file in this one) holds it.
    package init(path: String, waiting: Bool = false) throws(Failure) {
        self.path = path
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw .unusable(SystemError(path: path, operation: "open the lock file", code: errno))
        }
        var locked = flock(descriptor, waiting ? LOCK_EX : LOCK_EX | LOCK_NB)
        while waiting, locked != 0, errno == EINTR { locked = flock(descriptor, LOCK_EX) }
        guard locked == 0 else {
            if waiting {
                let failure = SystemError(path: path, operation: "lock", code: errno)
                close(descriptor)
                throw .unusable(failure)
            }
            let holder = Self.readPID(descriptor)
            close(descriptor)
            throw .held(pid: holder)
        }
        self.descriptor = descriptor
        // The pid over whatever was there, then cut to its length: a truncation to zero makes ext4 flush the file
        // when it is closed (its guard for files replaced by truncate-and-rewrite), a disk wait per lock taken.
        let text = Array("\(getpid())\n".utf8)
        _ = text.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        _ = ftruncate(descriptor, off_t(text.count))
    }

    /// Releases the lock.
    package func release() {
        _ = flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    /// Whether another owner holds the lock at `path`: probed with a shared, non-blocking `flock` released at once.
    ///
    /// - Parameter path: The lock file.
    /// - Returns: True while some process holds it exclusively; false when it is free or missing.
    package static func isHeld(at path: String) -> Bool {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_SH | LOCK_NB) == 0 else { return true }
        _ = flock(descriptor, LOCK_UN)
        return false
    }

    private static func readPID(_ descriptor: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        let text = String(decoding: buffer[0..<count], as: UTF8.self).split(separator: "\n").first ?? ""
        return Int32(text)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The short exclusive lock every read-modify-write of a shared record takes: an `flock` on `records.lock` under
/// the root, through one descriptor the instance keeps open.
///
/// Taking and releasing it costs two `flock` calls. (Opening the file, writing the holder's pid into it and closing
/// it for every change, as ``InterlinkSystem/FileLock`` does, made ext4 flush the truncated file at each close.)
/// Each instance has its own open file description, so instances in one process exclude each other as instances in
/// different processes do; within an instance the actor runs one change at a time.
final class RecordsLock {
    /// The lock file's name under the root.
    static let fileName = "records.lock"

    /// The lock file's path.
    let path: String
    private let descriptor: Int32

    /// Opens (or creates) the lock file under `root`.
    ///
    /// - Parameter root: The LocalCloud root.
    /// - Throws: `LocalCloudError.io` when it cannot be opened.
    init(root: String) throws(LocalCloudError) {
        path = root + "/" + Self.fileName
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw LocalCloudError.io(path: path, errno: errno) }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Runs `body` holding the lock, waiting for it when another instance holds it.
    ///
    /// - Parameter body: The change.
    /// - Returns: What `body` returned.
    /// - Throws: `LocalCloudError.io` when the lock cannot be taken, or what `body` threw.
    func withLock<T>(_ body: () throws(LocalCloudError) -> T) throws(LocalCloudError) -> T {
        var locked = flock(descriptor, LOCK_EX)
        while locked != 0, errno == EINTR { locked = flock(descriptor, LOCK_EX) }
        guard locked == 0 else { throw LocalCloudError.io(path: path, errno: errno) }
        defer { _ = flock(descriptor, LOCK_UN) }
        return try body()
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failure of the on-disk cloud.
package enum LocalCloudError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A system call on a path failed.
    case io(path: String, detail: String)
    /// A record or sidecar could not be encoded or decoded.
    case corrupt(path: String, detail: String)
    /// No object, file or job with this name or id.
    case notFound(String)
    /// The request is invalid (a missing input file, an object that is not complete).
    case rejected(String)

    /// An I/O failure with the `strerror` text of `errno`.
    static func io(path: String, errno: Int32) -> LocalCloudError {
        .io(path: path, detail: String(cString: strerror(errno)))
    }

    package var description: String {
        switch self {
        case .io(let path, let detail): "'\(path)': \(detail)"
        case .corrupt(let path, let detail): "'\(path)' is corrupt: \(detail)"
        case .notFound(let what): "'\(what)' does not exist"
        case .rejected(let detail): detail
        }
    }
}

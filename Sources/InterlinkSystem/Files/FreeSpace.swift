#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Free-space queries, so a writer can refuse before its first byte instead of failing half-way.
package enum FreeSpace {
    /// The bytes an unprivileged process may still write on the file system that holds `path`.
    ///
    /// - Parameter path: A file or directory; a missing one is looked up through its nearest existing ancestor.
    /// - Returns: The available bytes.
    /// - Throws: `SystemError` when no ancestor can be queried.
    package static func available(at path: String) throws(SystemError) -> Int64 {
        var probe = path.isEmpty ? "." : path
        while true {
            var status = statvfs()
            if statvfs(probe, &status) == 0 {
                let (bytes, overflow) = Int64(status.f_bavail).multipliedReportingOverflow(by: Int64(status.f_frsize))
                return overflow ? Int64.max : bytes
            }
            let code = errno
            guard code == ENOENT || code == ENOTDIR, let slash = probe.lastIndex(of: "/") else {
                throw SystemError(path: path, operation: "query the free space of", code: code)
            }
            probe = slash == probe.startIndex ? "/" : String(probe[..<slash])
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed system call of the OS layer, with the path it was about and the `errno` it set.
package struct SystemError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file or directory concerned.
    package var path: String
    /// What was being done, such as "write" or "lock".
    package var operation: String
    /// The `errno` value.
    package var code: Int32

    /// Creates the error.
    package init(path: String, operation: String, code: Int32) {
        self.path = path
        self.operation = operation
        self.code = code
    }

    /// The system's text for ``code``, such as "Permission denied".
    package var reason: String { String(cString: strerror(code)) }

    package var description: String { "cannot \(operation) '\(path)': \(reason)" }
}

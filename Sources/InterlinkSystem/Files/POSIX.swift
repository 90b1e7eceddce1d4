#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Thin wrappers over the system calls the data path uses, retrying on `EINTR`.
package enum POSIX {
    /// `read(2)`, retried on `EINTR`.
    ///
    /// - Parameters:
    ///   - descriptor: An open file descriptor.
    ///   - buffer: Where the bytes go.
    ///   - count: The most bytes to read.
    /// - Returns: The bytes read, 0 at the end, or -1 on failure with `errno` set.
    package static func read(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
        var result: Int
        repeat {
            #if canImport(Glibc)
            result = Glibc.read(descriptor, buffer, count)
            #else
            result = Darwin.read(descriptor, buffer, count)
            #endif
        } while result < 0 && errno == EINTR
        return result
    }

    /// Writes all of `bytes`, retrying short writes and `EINTR`.
    ///
    /// - Parameters:
    ///   - descriptor: An open file descriptor.
    ///   - bytes: What to write.
    /// - Returns: false on failure, with `errno` set.
    package static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < bytes.count {
            #if canImport(Glibc)
            let result = Glibc.write(descriptor, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
            #else
            let result = Darwin.write(descriptor, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
            #endif
            if result < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += result
        }
        return true
    }

    /// `close(2)`.
    ///
    /// - Parameter descriptor: An open file descriptor.
    /// - Returns: 0, or -1 on failure with `errno` set.
    @discardableResult
    package static func close(_ descriptor: Int32) -> Int32 {
        #if canImport(Glibc)
        Glibc.close(descriptor)
        #else
        Darwin.close(descriptor)
        #endif
    }

    /// The text of the current `errno`.
    ///
    /// - Returns: Such as "No space left on device".
    package static func lastError() -> String { String(cString: strerror(errno)) }
}

import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A process told apart from a later one that reuses its pid: the pid and the start time the kernel keeps for it.
///
/// On Linux the start time is field 22 of `/proc/<pid>/stat` (clock ticks after boot). Elsewhere it is 0, and
/// only the pid's existence is checked.
package struct ProcessIdentity: Hashable, Sendable, Codable {
    /// The process id.
    package var pid: Int32
    /// The kernel's start time of the process (clock ticks after boot on Linux, 0 elsewhere).
    package var startTime: UInt64

    /// Creates an identity from values recorded earlier.
    package init(pid: Int32, startTime: UInt64) {
        self.pid = pid
        self.startTime = startTime
    }

    /// The identity of the live process `pid` now; nil when there is none, or it has exited (a zombie).
    ///
    /// - Parameter pid: The process id.
    /// - Returns: Its identity, or nil.
    package static func current(of pid: Int32) -> ProcessIdentity? {
        guard pid > 0 else { return nil }
        #if os(Linux)
        guard let bytes = readProcFile("/proc/\(pid)/stat") else { return nil }
        let stat = String(decoding: bytes, as: UTF8.self)
        guard let nameEnd = stat.lastIndex(of: ")") else { return nil }
        // After the command name (which may hold spaces and parentheses): field 3 (state) onwards.
        let fields = stat[stat.index(after: nameEnd)...].split(separator: " ")
        guard fields.count > 19, let state = fields[0].first, state != "Z", state != "X",
            let start = UInt64(fields[19])
        else { return nil }
        return ProcessIdentity(pid: pid, startTime: start)
        #else
        guard kill(pid, 0) == 0 || errno == EPERM else { return nil }
        return ProcessIdentity(pid: pid, startTime: 0)
        #endif
    }

    /// Whether this very process still runs (the pid is alive and was started at the same time).
    package var isRunning: Bool { Self.current(of: pid) == self }

    /// The command line of the live process `pid`, its arguments joined by spaces; nil when it cannot be read.
    ///
    /// - Parameter pid: The process id.
    /// - Returns: Such as `rescale-int run workflow.yaml`, or nil.
    package static func commandLine(of pid: Int32) -> String? {
        #if os(Linux)
        guard pid > 0, let data = readProcFile("/proc/\(pid)/cmdline"), !data.isEmpty else { return nil }
        let words = data.split(separator: 0).map {
            String(decoding: $0, as: UTF8.self)
        }
        var text = words.joined(separator: " ").trimmingCharacters(in: .whitespaces)
        if let first = words.first, first.contains("/") {
            text = PathTail.basename(first) + text.dropFirst(first.count)
        }
        return text.isEmpty ? nil : text
        #else
        return nil
        #endif
    }
}

/// Reads a `/proc` file to its end (they report a size of 0, so the size cannot be trusted).
private func readProcFile(_ path: String) -> [UInt8]? {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while bytes.count < 1 << 20 {
        let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count < 0, errno == EINTR { continue }
        guard count > 0 else { break }
        bytes += buffer[0..<count]
    }
    return bytes
}

/// The last component of a path, for shortening a command's program name.
private enum PathTail {
    static func basename(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}

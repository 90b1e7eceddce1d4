#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Gives every output a name the platform can carry.
///
/// File names are bytes, but file records and the API's JSON hold text, so a name that is not valid UTF-8 is
/// renamed in the work directory, each invalid byte written as `%XX` (a name taken already gets `~2`, `~3`…).
/// Valid names, however long or whatever they start with, are kept.
package enum OutputNames {
    /// One rename.
    package struct Rename: Hashable, Sendable {
        /// The old path relative to the work directory, invalid bytes shown as `%XX`.
        package var from: String
        /// The new path relative to the work directory.
        package var to: String
    }

    /// Renames the files and directories under `directory` whose names are not valid UTF-8 (symbolic links are not
    /// followed).
    ///
    /// - Parameter directory: The work directory.
    /// - Returns: The renames made, in the order made.
    package static func normalize(in directory: String) -> [Rename] {
        var renames: [Rename] = []
        var pending: [[UInt8]] = [[]]
        while let relative = pending.popLast() {
            let absolute = Array(directory.utf8) + (relative.isEmpty ? [] : [UInt8(ascii: "/")] + relative)
            for name in entries(of: absolute) {
                var child = name
                if String(validating: name, as: UTF8.self) == nil {
                    let escaped = escape(name)
                    var candidate = Array(escaped.utf8)
                    var attempt = 1
                    while exists(absolute + [UInt8(ascii: "/")] + candidate) {
                        attempt += 1
                        candidate = Array("\(escaped)~\(attempt)".utf8)
                    }
                    let source = absolute + [UInt8(ascii: "/")] + name
                    guard rename(cString(source), cString(absolute + [UInt8(ascii: "/")] + candidate)) == 0 else {
                        continue
                    }
                    let prefix = relative.isEmpty ? "" : String(decoding: relative, as: UTF8.self) + "/"
                    renames.append(
                        Rename(from: prefix + escaped, to: prefix + String(decoding: candidate, as: UTF8.self))
                    )
                    child = candidate
                }
                let path = absolute + [UInt8(ascii: "/")] + child
                var info = stat()
                if lstat(cString(path), &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
                    pending.append(relative.isEmpty ? child : relative + [UInt8(ascii: "/")] + child)
                }
            }
        }
        return renames
    }

    /// `name` as text, each byte of an invalid UTF-8 sequence written as `%XX` (upper-case hex).
    package static func escape(_ name: [UInt8]) -> String {
        var text = ""
        var index = 0
        while index < name.count {
            var parser = Unicode.UTF8.ForwardParser()
            var iterator = name[index...].makeIterator()
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                text.unicodeScalars.append(Unicode.UTF8.decode(encoded))
                index += encoded.count
            case .error(let length):
                for byte in name[index..<(index + length)] {
                    let hex = String(byte, radix: 16, uppercase: true)
                    text += "%" + (byte < 16 ? "0" + hex : hex)
                }
                index += length
            case .emptyInput:
                index = name.count
            }
        }
        return text
    }

    /// The raw names in a directory, without `.` and `..`.
    private static func entries(of directory: [UInt8]) -> [[UInt8]] {
        guard let stream = opendir(cString(directory)) else { return [] }
        defer { closedir(stream) }
        var names: [[UInt8]] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: &entry.pointee.d_name) { buffer in
                Array(buffer.prefix { $0 != 0 })
            }
            if name != [UInt8(ascii: ".")] && name != [UInt8(ascii: "."), UInt8(ascii: ".")] { names.append(name) }
        }
        return names
    }

    private static func exists(_ path: [UInt8]) -> Bool {
        var info = stat()
        return lstat(cString(path), &info) == 0
    }

    /// A NUL-terminated copy for the C calls (file names never hold NUL).
    private static func cString(_ bytes: [UInt8]) -> [CChar] {
        bytes.map { CChar(bitPattern: $0) } + [0]
    }
}

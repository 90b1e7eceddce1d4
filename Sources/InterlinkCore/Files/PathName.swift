/// Lexical operations on POSIX path strings.
///
/// Nothing here touches the file system.
package enum PathName {
    /// Whether the path starts at the root.
    package static func isAbsolute(_ path: String) -> Bool { path.hasPrefix("/") }

    /// Joins path components with `/`; an absolute later component does not reset the path (Interlink appends
    /// an absolute-looking `TarSubpath` rather than replacing the directory).
    package static func join(_ first: String, _ rest: String...) -> String {
        var result = first
        for component in rest where !component.isEmpty {
            if result.isEmpty {
                result = component
            } else if result.hasSuffix("/") {
                result += component.drop { $0 == "/" }
            } else {
                result += "/" + component.drop { $0 == "/" }
            }
        }
        return result
    }

    /// Resolves `path` against `base` when it is relative, then normalizes it.
    package static func resolve(_ path: String, against base: String) -> String {
        normalize(isAbsolute(path) ? path : join(base, path))
    }

    /// Removes `.` components, empty components and resolves `..` lexically (`..` above the root stays at the
    /// root; leading `..` of a relative path is kept).
    package static func normalize(_ path: String) -> String {
        // Most paths are normal already (a plan normalizes each input path several times): check before splitting.
        if isNormal(path) { return path }
        let absolute = isAbsolute(path)
        var parts: [Substring] = []
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch component {
            case ".": continue
            case "..":
                if let last = parts.last, last != ".." {
                    parts.removeLast()
                } else if !absolute {
                    parts.append(component)
                }
            default: parts.append(component)
            }
        }
        let joined = parts.joined(separator: "/")
        if absolute { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    /// The last component (`/a/b/` → `b`; `/` → `/`).
    ///
    /// Paths are split at `/` bytes, as the kernel splits them (not at characters, which a combining mark after
    /// a `/` would join to it), without counting or scanning characters: a plan takes the basename and dirname of
    /// every input path several times.
    package static func basename(_ path: String) -> String {
        let trimmed = trimmedUTF8(path)
        guard let slash = trimmed.lastIndex(of: slashByte) else { return String(Substring(trimmed)) }
        guard trimmed.count > 1 else { return "/" }
        return String(Substring(trimmed[trimmed.index(after: slash)...]))
    }

    private static let slashByte = UInt8(ascii: "/")

    /// The path's UTF-8 without one trailing `/` (the root `/` stays whole).
    private static func trimmedUTF8(_ path: String) -> Substring.UTF8View {
        let bytes = path.utf8[...]
        guard bytes.count > 1, bytes.last == slashByte else { return bytes }
        return bytes.dropLast()
    }

    /// Whether `normalize` would return `path` unchanged: not empty, no empty, `.` or `..` component and no
    /// trailing `/` (apart from the root itself).
    static func isNormal(_ path: String) -> Bool {
        let checked = path.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            guard bytes.count > 1 else { return !bytes.isEmpty }
            // The current component's length and whether it holds dots only (`.` and `..` are not normal).
            var length = 0
            var onlyDots = true
            for (index, byte) in bytes.enumerated() {
                if byte == UInt8(ascii: "/") {
                    if index > 0, length == 0 || (onlyDots && length <= 2) { return false }
                    length = 0
                    onlyDots = true
                } else {
                    length += 1
                    if byte != UInt8(ascii: ".") { onlyDots = false }
                }
            }
            return length > 0 && !(onlyDots && length <= 2)
        }
        return checked ?? false
    }

    /// Everything before the last component (`/a/b` → `/a`; `b` → `.`; `/a` → `/`).
    package static func dirname(_ path: String) -> String {
        let trimmed = trimmedUTF8(path)
        guard let slash = trimmed.lastIndex(of: slashByte) else { return "." }
        if slash == trimmed.startIndex { return "/" }
        return String(Substring(trimmed[..<slash]))
    }

    /// The path of `path` relative to `base`, if `path` is inside `base` (both normalized first).
    package static func relative(_ path: String, to base: String) -> String? {
        let path = normalize(path)
        let base = normalize(base)
        if path == base { return "." }
        let prefix = base == "/" ? "/" : base + "/"
        guard path.hasPrefix(prefix) else { return nil }
        return String(path.dropFirst(prefix.count))
    }

    /// Whether a relative path stays inside its base: not absolute and no `..` escapes after normalizing.
    package static func staysInside(_ relativePath: String) -> Bool {
        guard !isAbsolute(relativePath) else { return false }
        let normalized = normalize(relativePath)
        return normalized != ".." && !normalized.hasPrefix("../")
    }
}

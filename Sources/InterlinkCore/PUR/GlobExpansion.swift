/// Expands a shell glob over the ``FileSystem`` port, one path component at a time, without recursion (no
/// `**`, no braces), as Interlink's directory and file scans do.
package enum GlobExpansion {
    /// The paths matching `pattern`, in the form the pattern was written in (a relative pattern gives relative
    /// paths), naturally sorted.
    ///
    /// Components without wildcards are taken literally (`.` and `..` included); components with wildcards are
    /// matched against directory entries (`*` also matches a leading dot, as in Interlink). Symbolic links to
    /// directories are followed.
    ///
    /// - Parameters:
    ///   - pattern: The glob, absolute or relative.
    ///   - base: The absolute directory a relative pattern is relative to.
    ///   - fileSystem: Where to look.
    /// - Returns: The matching paths.
    /// - Throws: `Glob.SyntaxError` for a malformed component.
    package static func expand(
        _ pattern: String,
        relativeTo base: String,
        in fileSystem: some FileSystem
    ) throws(Glob.SyntaxError) -> [String] {
        let components = pattern.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var current: [(shown: String, absolute: String)] =
            PathName.isAbsolute(pattern) ? [("/", "/")] : [("", PathName.normalize(base))]
        for (position, component) in components.enumerated() {
            let isLast = position == components.count - 1
            let glob = try Glob(component)
            var next: [(shown: String, absolute: String)] = []
            for (shown, absolute) in current {
                if !glob.hasWildcards {
                    let literal = component.replacing("\\", with: "")
                    let candidate = (join(shown, literal), PathName.normalize(PathName.join(absolute, literal)))
                    let exists =
                        isLast ? fileSystem.exists(candidate.1) : fileSystem.isDirectory(followingLinksAt: candidate.1)
                    if exists { next.append(candidate) }
                    continue
                }
                guard fileSystem.isDirectory(followingLinksAt: absolute),
                    let entries = try? fileSystem.contentsOfDirectory(at: absolute)
                else { continue }
                for name in entries.map(\.name) where glob.matches(name) {
                    let candidate = (join(shown, name), PathName.join(absolute, name))
                    if isLast || fileSystem.isDirectory(followingLinksAt: candidate.1) { next.append(candidate) }
                }
            }
            current = next
        }
        return NaturalOrder.sorted(current.map(\.shown).filter { !$0.isEmpty })
    }

    private static func join(_ shown: String, _ name: String) -> String {
        shown.isEmpty ? name : PathName.join(shown, name)
    }
}

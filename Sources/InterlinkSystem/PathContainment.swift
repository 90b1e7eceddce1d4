import Foundation
import InterlinkCore

/// Decides whether writing a file at a path lands inside a directory once the symbolic links already on disk are
/// followed, so that neither a job name nor an output's name nor a planted link can make a download escape.
package enum PathContainment {
    /// Whether a file written at `path` would land inside `directory`.
    ///
    /// Both are made absolute and normalised first; then the longest existing ancestor of `path`'s parent is
    /// resolved with `realpath` and must be `directory` (resolved the same way) or below it. The components that do
    /// not exist yet are created by the writer as plain directories, which lexical normalisation has already kept
    /// inside. The final component is not followed: downloads replace it by `rename`, which replaces a link itself.
    ///
    /// - Parameters:
    ///   - path: The file to be written.
    ///   - directory: The directory it must stay in.
    /// - Returns: True when the file lands inside.
    package static func isInside(_ path: String, directory: String) -> Bool {
        let base = PathName.normalize(PathName.resolve(directory, against: FileManager.default.currentDirectoryPath))
        let target = PathName.normalize(PathName.resolve(path, against: base))
        guard isLexicallyBelow(target, base) else { return false }
        let realBase = resolvedExistingPrefix(of: base)
        let realParent = resolvedExistingPrefix(of: PathName.dirname(target))
        return realParent == realBase || isLexicallyBelow(realParent, realBase)
    }

    /// `path` with its longest existing ancestor replaced by that ancestor's `realpath` (the rest kept as is).
    private static func resolvedExistingPrefix(of path: String) -> String {
        var existing = path
        var rest: [String] = []
        while true {
            if let real = realPath(existing) {
                return rest.reversed().reduce(real) { PathName.join($0, $1) }
            }
            let parent = PathName.dirname(existing)
            if parent == existing { return path }
            rest.append(PathName.basename(existing))
            existing = parent
        }
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Whether `path` is strictly below `directory`, comparing whole components.
    private static func isLexicallyBelow(_ path: String, _ directory: String) -> Bool {
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        return path.hasPrefix(prefix) && path.count > prefix.count
    }
}

/// Finds files or directories matching a relative glob (`Run_*`, `cases/*/run.sh`, `**/run.sh`) below a base
/// directory through the `FileSystem` port.
///
/// Hidden entries (names starting with `.`) match only a component that itself starts with `.`. Results are
/// relative paths in natural order (`Run_2` before `Run_10`).
package struct PathPattern: Sendable {
    /// What the last component must be.
    package enum Kind: Sendable {
        /// Regular files (symbolic links to files count).
        case file
        /// Directories (symbolic links to directories count).
        case directory
    }

    /// The pattern as written.
    package let pattern: String
    private let components: [String]

    /// Compiles a pattern.
    ///
    /// - Parameter pattern: A relative glob with `/` separators.
    /// - Throws: `Glob.SyntaxError` when a component is malformed.
    package init(_ pattern: String) throws(Glob.SyntaxError) {
        self.pattern = pattern
        self.components = pattern.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        for component in components where component != "**" { _ = try Glob(component) }
    }

    /// The matches below `base`.
    ///
    /// - Parameters:
    ///   - base: The absolute directory the pattern is relative to.
    ///   - kind: Whether to find files or directories.
    ///   - fileSystem: Where to look.
    /// - Returns: Relative paths of the matches, in natural order, without duplicates.
    package func matches(in base: String, kind: Kind, fileSystem: some FileSystem) -> [String] {
        var found = Set<String>()
        walk(base, relative: "", components[...], kind: kind, fileSystem: fileSystem, into: &found)
        return NaturalOrder.sorted(found)
    }

    private func walk(
        _ directory: String,
        relative: String,
        _ remaining: ArraySlice<String>,
        kind: Kind,
        fileSystem: some FileSystem,
        into found: inout Set<String>
    ) {
        guard let component = remaining.first else { return }
        let rest = remaining.dropFirst()
        if component == "." || component == ".." || !((try? Glob(component))?.hasWildcards ?? true) {
            // A literal component (including `..`) is looked up directly rather than listed.
            let path = PathName.normalize(PathName.join(directory, component))
            let relativePath = PathName.join(relative, component)
            if !rest.isEmpty {
                if fileSystem.isDirectory(followingLinksAt: path) {
                    walk(path, relative: relativePath, rest, kind: kind, fileSystem: fileSystem, into: &found)
                }
            } else if let entry = fileSystem.entry(at: path) {
                let isDirectory = fileSystem.isDirectory(followingLinksAt: path)
                if isDirectory == (kind == .directory), isDirectory || isFile(entry, fileSystem) {
                    found.insert(relativePath)
                }
            }
            return
        }
        let entries = (try? fileSystem.contentsOfDirectory(at: directory)) ?? []
        if component == "**" {
            walk(directory, relative: relative, rest, kind: kind, fileSystem: fileSystem, into: &found)
            for entry in entries
            where !entry.name.hasPrefix(".") && fileSystem.isDirectory(followingLinksAt: entry.path) {
                let path = PathName.join(relative, entry.name)
                walk(entry.path, relative: path, remaining, kind: kind, fileSystem: fileSystem, into: &found)
            }
            return
        }
        guard let glob = try? Glob(component) else { return }
        for entry in entries where glob.matches(entry.name) {
            if entry.name.hasPrefix("."), !component.hasPrefix(".") { continue }
            let path = PathName.join(relative, entry.name)
            let isDirectory = fileSystem.isDirectory(followingLinksAt: entry.path)
            if rest.isEmpty {
                if isDirectory == (kind == .directory), isDirectory || isFile(entry, fileSystem) { found.insert(path) }
            } else if isDirectory {
                walk(entry.path, relative: path, rest, kind: kind, fileSystem: fileSystem, into: &found)
            }
        }
    }

    private func isFile(_ entry: FileEntry, _ fileSystem: some FileSystem) -> Bool {
        switch entry.kind {
        case .file: true
        case .symlink(let target):
            fileSystem.entry(at: PathName.resolve(target, against: PathName.dirname(entry.path)))?.isFile == true
        default: false
        }
    }
}

/// Why an archive's entry list could not be built, with the path concerned.
package struct ArchiveManifestError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    package enum Reason: Hashable, Sendable {
        /// The subpath leaves the run directory (`../x`).
        case subpathEscapes(subpath: String)
        /// The subpath names nothing inside the run directory.
        case subpathMissing(subpath: String)
        /// The source is not a directory.
        case notADirectory
        /// Flattening would store two files under one name.
        case duplicateName(name: String, first: String, second: String)
        /// An entry of the explicit `files` list is outside the archived directory.
        case fileOutside(file: String)
        /// An entry of the explicit `files` list does not exist.
        case fileMissing(file: String)
        /// An include or exclude pattern is malformed.
        case invalidPattern(pattern: String, reason: String)
        /// A directory could not be listed.
        case unreadable(reason: String)
        /// A symbolic link's target is absolute or resolves outside the archived directory.
        case linkLeadsOutside(link: String, target: String)
    }

    /// The path concerned (the run directory, the source, or the offending file).
    package var path: String
    /// What went wrong.
    package var reason: Reason

    /// Creates the error.
    package init(path: String, reason: Reason) {
        self.path = path
        self.reason = reason
    }

    /// The problem on one line, lowercase, with user values in single quotes.
    package var message: String {
        switch reason {
        case .subpathEscapes(let subpath): "tar subpath '\(subpath)' escapes run directory"
        case .subpathMissing(let subpath): "tar subpath '\(subpath)' does not exist in '\(path)'"
        case .notADirectory: "'\(path)' is not a directory"
        case .duplicateName(let name, let first, let second):
            "duplicate filename '\(name)' found in '\(first)' and '\(second)'"
        case .fileOutside(let file): "file '\(file)' is outside the archived directory '\(path)'"
        case .fileMissing(let file): "file '\(file)' does not exist in '\(path)'"
        case .invalidPattern(let pattern, let reason): "invalid pattern '\(pattern)': \(reason)"
        case .unreadable(let reason): "cannot list '\(path)': \(reason)"
        case .linkLeadsOutside(let link, let target):
            PathName.isAbsolute(target)
                ? "symbolic link '\(link)' points to the absolute path '\(target)'"
                : "symbolic link '\(link)' points to '\(target)', outside the archived directory '\(path)'"
        }
    }

    /// What the user can do about it.
    package var help: String {
        switch reason {
        case .subpathEscapes: "use a subpath inside the run directory, without '..'"
        case .subpathMissing: "create the directory or fix the subpath"
        case .notADirectory: "point the archive input at a directory"
        case .duplicateName: "turn off flatten or rename one of the files"
        case .fileOutside: "list only files below the archived directory"
        case .fileMissing: "remove it from the files list or create it"
        case .invalidPattern: "close every '[' and do not end a pattern with '\\'"
        case .unreadable: "check the directory's permissions"
        case .linkLeadsOutside:
            "replace the link with a copy of what it points to, make it a relative link to a file inside the "
                + "directory, or exclude it"
        }
    }

    /// The error as a diagnostic, for the CLI to print.
    package var diagnostic: Diagnostic { .error(message, help: help) }

    package var description: String { "error: \(message)\n  help: \(help)" }
}

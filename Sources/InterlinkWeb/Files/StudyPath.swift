import Foundation
import HTTPTypes
import Hummingbird
import InterlinkCore
import InterlinkSystem

/// A path the page names, confined to the study directory: the Files and Jobs tabs read, write and delete only
/// below it.
///
/// The page sends paths relative to the directory (`""` is the directory itself). A path that is absolute, holds a
/// NUL or a backslash, or has a `..` component is malformed (400); one that an existing symbolic link leads out of
/// the directory is forbidden (403). Files are never served, only listed, uploaded from, downloaded into and
/// deleted.
package struct StudyPath: Hashable, Sendable {
    /// The path relative to the study directory, `/`-separated, without `.` parts (empty for the directory).
    package var relative: String
    /// The absolute path.
    package var absolute: String

    /// Confines a page's path to the directory.
    ///
    /// - Parameters:
    ///   - text: The relative path the page sent.
    ///   - directory: The absolute study directory.
    /// - Throws: ``StudyPathError``: 400 for a malformed path, 403 for one that leaves the directory.
    package init(_ text: String, in directory: String) throws(StudyPathError) {
        guard !text.hasPrefix("/"), !text.contains("\0"), !text.contains("\\"),
            !text.split(separator: "/").contains("..")
        else { throw StudyPathError(.malformed(text)) }
        let parts = text.split(separator: "/").filter { $0 != "." }
        relative = parts.joined(separator: "/")
        absolute = relative.isEmpty ? directory : PathName.join(directory, relative)
        // Every existing component, the last one too, must resolve inside: a link may not lead out.
        guard relative.isEmpty || Self.resolvesInside(absolute, directory) else {
            throw StudyPathError(.outside(text))
        }
    }

    /// Whether `path`, with every symbolic link on disk followed (the last component too), stays in `directory`.
    private static func resolvesInside(_ path: String, _ directory: String) -> Bool {
        guard PathContainment.isInside(path, directory: directory) else { return false }
        guard let real = realPath(path) else { return true }  // Not there yet: its parent was checked above.
        let base = realPath(directory) ?? directory
        return real == base || real.hasPrefix(base.hasSuffix("/") ? base : base + "/")
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The path of a child entry, confined the same way.
    ///
    /// - Parameters:
    ///   - name: One path component (no `/`).
    ///   - directory: The absolute study directory.
    /// - Returns: The child's path.
    /// - Throws: ``StudyPathError``: 400 for a name that is empty, `.`, `..` or holds a `/`; 403 as
    ///   ``init(_:in:)``.
    package func child(_ name: String, in directory: String) throws(StudyPathError) -> StudyPath {
        guard !name.isEmpty, name != ".", name != "..", !name.contains("/"), !name.contains("\0") else {
            throw StudyPathError(.malformed(name))
        }
        return try StudyPath(relative.isEmpty ? name : relative + "/" + name, in: directory)
    }
}

/// A path the page sent that the UI refuses: malformed (400) or leading out of the study directory (403).
package struct StudyPathError: Error, HTTPResponseError, Hashable, Sendable, CustomStringConvertible {
    /// Why the path is refused.
    package enum Reason: Hashable, Sendable {
        /// Absolute, with `..`, a NUL or a backslash, or not a file name.
        case malformed(String)
        /// A symbolic link on disk leads out of the study directory.
        case outside(String)
    }

    /// Why.
    package var reason: Reason

    /// Creates an error.
    ///
    /// - Parameter reason: Why.
    package init(_ reason: Reason) { self.reason = reason }

    /// 400 for a malformed path, 403 for one leading outside.
    package var status: HTTPResponse.Status {
        switch reason {
        case .malformed: .badRequest
        case .outside: .forbidden
        }
    }

    /// The message the page shows.
    package var description: String {
        switch reason {
        case .malformed(let path): "'\(path)' is not a relative path inside the study directory"
        case .outside(let path): "'\(path)' leads outside the study directory"
        }
    }

    /// Renders the error as `{"error": …}`.
    ///
    /// - Parameters:
    ///   - request: The request.
    ///   - context: Its context.
    /// - Returns: The response.
    package func response(from request: Request, context: some RequestContext) -> Response {
        WebReply.json(["error": description], status: status)
    }
}

import InterlinkCore

/// A journal that cannot be used, with what to do about it.
package struct JournalError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    package enum Reason: Hashable, Sendable {
        /// Another runner holds the run's lock.
        case locked(pid: Int32?)
        /// A line before the last one does not decode.
        case corruptLine(line: Int, detail: String)
        /// Reading or writing the journal failed.
        case io(String)
        /// The test crash switch fired: the journal refuses every later write, as a killed process would.
        case simulatedCrash(afterRecord: Int)
        /// The run was started on another platform than the one it is being continued on.
        case platformMismatch(recorded: String, current: String)
    }

    /// What went wrong.
    package var reason: Reason
    /// The journal's path.
    package var path: String

    /// Creates an error.
    package init(_ reason: Reason, path: String) {
        self.reason = reason
        self.path = path
    }

    /// The problem and its fix, as ``UserFacingError`` shows them.
    var parts: (problem: String, fix: String) {
        switch reason {
        case .locked(let pid):
            (
                "run is in use by another runner" + (pid.map { " (pid \($0))" } ?? ""),
                "wait for it to finish, or stop it, then run 'rescale-int resume'"
            )
        case .corruptLine(let line, let detail):
            (
                "line \(line) is not a valid journal record: \(detail)",
                "restore the journal from a backup or start a new run"
            )
        case .io(let detail):
            ("cannot use the journal: \(detail)", "check the directory's permissions and free space")
        case .simulatedCrash(let count):
            ("simulated crash after record \(count)", "unset INTERLINK_TEST_CRASH_AFTER_RECORD")
        case .platformMismatch(let recorded, let current):
            (
                "this run was started on '\(recorded)', not '\(current)'; its jobs and files only exist there",
                "continue it with the same platform settings (RESCALE_API_URL or --profile), or start a new run"
            )
        }
    }

    package var description: String {
        "\(location ?? SourceLocation(file: path)): error: \(message)\n  help: \(parts.fix)"
    }
}

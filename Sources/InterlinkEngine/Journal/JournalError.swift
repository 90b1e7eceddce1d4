import InterlinkCore

/// A journal that cannot be used, with what to do about it.
package struct JournalError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    package enum Reason: Hashable, Sendable {
        /// Another runner holds the run's lock.
        case locked(pid: Int32?)
        /// A line is not a valid record: not JSON (before the last line), a required field missing, or a node the
        /// run's plan does not have.
        case corruptLine(line: Int, detail: String)
        /// A line's record version (`v`) is not one this build reads.
        case unsupportedVersion(line: Int, version: Int)
        /// The run folder lacks a file a run needs, or has one that cannot be read.
        case damagedRun(RunDamage)
        /// Reading or writing the journal failed.
        case io(String)
        /// The run was started on another platform than the one it is being continued on.
        case platformMismatch(recorded: String, current: String)
        /// The run's `plan.json` is not a plan this build reads; the detail says what is wrong with it.
        case corruptPlan(String)
    }

    /// How a run folder is damaged.
    package enum RunDamage: Hashable, Sendable {
        /// `plan.json` is there but `journal.jsonl` is not.
        case journalMissing
        /// `journal.jsonl` is there but empty.
        case journalEmpty
        /// `journal.jsonl` is there but cannot be read as a file.
        case journalUnreadable
        /// `journal.jsonl` is there but `plan.json` is not.
        case planMissing
    }

    /// What went wrong.
    package var reason: Reason
    /// The journal's path (the run folder's, for ``Reason/damagedRun(_:)``).
    package var path: String
    /// For ``Reason/locked(pid:)``: the command line of the process holding the lock, when it could be read.
    package var holderCommand: String?

    /// Creates an error.
    package init(_ reason: Reason, path: String) {
        self.reason = reason
        self.path = path
    }

    /// The journal line the error is about, when it is about one.
    package var line: Int? {
        switch reason {
        case .corruptLine(let line, _), .unsupportedVersion(let line, _): line
        case .locked, .damagedRun, .io, .platformMismatch, .corruptPlan: nil
        }
    }

    /// The problem and its fix, as ``UserFacingError`` shows them.
    var parts: (problem: String, fix: String) {
        switch reason {
        case .locked(let pid):
            (
                "run is in use by another runner"
                    + (pid.map { " (pid \($0)" + (holderCommand.map { ": '\($0)'" } ?? "") + ")" } ?? ""),
                "wait for it to finish, or stop it, then run 'rescale-int resume'"
            )
        case .corruptLine(let line, let detail):
            (
                "line \(line) is not a valid journal record: \(detail)",
                "restore the journal from a backup or start a new run"
            )
        case .unsupportedVersion(let line, let version):
            (
                "line \(line) is a version \(version) journal record; this build reads version "
                    + JournalRecord.readableVersions.map(String.init).joined(separator: ", "),
                "continue this run with the rescale-int release that wrote it, or a newer one"
            )
        case .damagedRun(let damage):
            (Self.describe(damage), "this run cannot be continued: move the folder aside and start a new run")
        case .io(let detail):
            ("cannot use the journal: \(detail)", "check the directory's permissions and free space")
        case .corruptPlan(let detail):
            (
                "the run's plan is not valid: \(detail)",
                "restore plan.json from a backup, or move the run folder aside and start a new run"
            )
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

    private static func describe(_ damage: RunDamage) -> String {
        switch damage {
        case .journalMissing: "run folder has plan.json but no journal.jsonl"
        case .journalEmpty: "run folder has plan.json but its journal.jsonl is empty"
        case .journalUnreadable: "run folder has plan.json but its journal.jsonl cannot be read"
        case .planMissing: "run folder has journal.jsonl but no plan.json"
        }
    }
}

import InterlinkCore

extension JournalError: UserFacingError {
    /// What went wrong, without the location.
    package var message: String { parts.problem }

    /// What to do about it.
    package var help: String? { parts.fix }

    /// The journal, at the corrupt line when there is one.
    package var location: SourceLocation? {
        if let line { SourceLocation(file: path, line: line) } else { SourceLocation(file: path) }
    }

    /// Locked: in use (75); corrupt, of an unknown version, a damaged run folder or started on another platform:
    /// invalid input (65); unreadable or unwritable: an I/O error (74).
    package var exitStatus: ExitStatus {
        switch reason {
        case .locked: .inUse
        case .corruptLine, .unsupportedVersion, .damagedRun, .platformMismatch, .corruptPlan: .invalidInput
        case .io: .ioError
        }
    }
}

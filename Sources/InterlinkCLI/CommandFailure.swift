import InterlinkCore

/// A failure a command reports: diagnostics for stderr and the status the process ends with.
///
/// Commands throw it, or any other ``UserFacingError``; ``ErrorReport`` renders both the same way.
package struct CommandFailure: UserFacingError, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong (and any warnings collected before).
    package var diagnostics: [Diagnostic]
    /// How the process ends.
    package var exitStatus: ExitStatus

    /// Creates a failure.
    ///
    /// - Parameters:
    ///   - diagnostics: What to print, in order.
    ///   - status: How the process ends.
    package init(_ diagnostics: [Diagnostic], status: ExitStatus) {
        self.diagnostics = diagnostics
        self.exitStatus = status
    }

    /// The failure of another user-facing error, with its diagnostics and status.
    package init(_ error: some UserFacingError) { self.init(error.diagnostics, status: error.exitStatus) }

    /// A usage failure (64).
    package static func usage(_ message: String, help: String? = nil) -> CommandFailure {
        CommandFailure([.error(message, help: help)], status: .usage)
    }

    /// An input file that cannot be read (65: the command's input is unusable).
    package static func unreadable(_ error: FileSystemError, role: String) -> CommandFailure {
        CommandFailure([.error("cannot read \(role) '\(error.path)': \(error.reason)")], status: .invalidInput)
    }

    /// The first error's message.
    package var message: String { errors.first?.message ?? "" }
    /// The first error's help.
    package var help: String? { errors.first?.help }
    /// The first error's location.
    package var location: SourceLocation? { errors.first?.location }
    /// The exit status as a number.
    package var exitCode: Int32 { exitStatus.rawValue }

    private var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }

    package var description: String { diagnostics.map { "\($0)\n" }.joined() }
}

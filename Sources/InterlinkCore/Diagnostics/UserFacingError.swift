/// An error the user sees: what went wrong, what to do, where, and how the process ends.
///
/// Lower modules conform their error types (or InterlinkCLI maps them); InterlinkCLI alone renders them, as
/// `file:line:col: error: message` and then `  help: …`, and exits with ``exitStatus``. Nothing rebuilds an error
/// from another error's rendered text.
package protocol UserFacingError: Error {
    /// What went wrong: one lowercase line with no final period and user values in single quotes.
    var message: String { get }
    /// The next action, when there is one to name.
    var help: String? { get }
    /// The file (and line, column) the error is about, when it has one.
    var location: SourceLocation? { get }
    /// How the process ends when this error stops a command.
    var exitStatus: ExitStatus { get }
    /// Everything to print, in order: by default one error diagnostic made of ``message``, ``help`` and
    /// ``location``; a parser's error lists every problem it found (warnings included).
    var diagnostics: [Diagnostic] { get }
}

extension UserFacingError {
    /// One error diagnostic made of ``message``, ``help`` and ``location``.
    package var diagnostics: [Diagnostic] { [.error(message, help: help, at: location)] }
}

extension DiagnosticsError: UserFacingError {
    /// The first error's message (every diagnostic is printed; see ``diagnostics``).
    package var message: String { errors.first?.message ?? "invalid input" }
    /// The first error's help.
    package var help: String? { errors.first?.help }
    /// The first error's location.
    package var location: SourceLocation? { errors.first?.location }
    /// Invalid input (65).
    package var exitStatus: ExitStatus { .invalidInput }
}

extension PlatformError: UserFacingError {
    /// The platform or storage is unavailable or refused the request (69).
    package var exitStatus: ExitStatus { .unavailable }
    /// A platform error has no place in a file.
    package var location: SourceLocation? { nil }
}

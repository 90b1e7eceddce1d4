/// One problem found in a user's input, with where it is and what to do about it.
///
/// Rendered like a compiler diagnostic:
/// ```
/// jobs.csv:4:23: error: invalid CoresPerSlot 'four'
///   help: write a whole number such as 4
/// ```
/// Messages are lowercase with no final period and put user values in single quotes; the help line names the
/// next action.
package struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    /// How bad the problem is.
    ///
    /// Only errors stop a command.
    package enum Severity: String, Hashable, Sendable, Codable {
        case error
        case warning
        case note
    }

    /// How bad the problem is.
    package var severity: Severity
    /// What is wrong, lowercase, no final period.
    package var message: String
    /// What to do about it, when there is something to say.
    package var help: String?
    /// Where it is, when it has a place.
    package var location: SourceLocation?

    /// Creates a diagnostic.
    ///
    /// - Parameters:
    ///   - severity: How bad the problem is.
    ///   - message: What is wrong, lowercase, no final period.
    ///   - help: What to do about it.
    ///   - location: Where it is.
    package init(_ severity: Severity, _ message: String, help: String? = nil, at location: SourceLocation? = nil) {
        self.severity = severity
        self.message = message
        self.help = help
        self.location = location
    }

    /// Creates an error diagnostic.
    package static func error(_ message: String, help: String? = nil, at location: SourceLocation? = nil) -> Self {
        Diagnostic(.error, message, help: help, at: location)
    }

    /// Creates a warning diagnostic.
    package static func warning(_ message: String, help: String? = nil, at location: SourceLocation? = nil) -> Self {
        Diagnostic(.warning, message, help: help, at: location)
    }

    package var description: String {
        var text = location.map { "\($0): " } ?? ""
        text += "\(severity.rawValue): \(message)"
        if let help { text += "\n  help: \(help)" }
        return text
    }
}

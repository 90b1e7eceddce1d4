/// Collects every problem a parser finds so that the user sees all of them at once.
package struct DiagnosticCollector: Sendable {
    /// Everything collected so far, in the order it was found.
    package private(set) var diagnostics: [Diagnostic] = []

    /// Creates an empty collector.
    package init() {}

    /// Whether any error (not warning) has been collected.
    package var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// Records a diagnostic.
    package mutating func append(_ diagnostic: Diagnostic) { diagnostics.append(diagnostic) }

    /// Records several diagnostics.
    package mutating func append(contentsOf other: some Sequence<Diagnostic>) { diagnostics.append(contentsOf: other) }

    /// Records an error.
    package mutating func error(_ message: String, help: String? = nil, at location: SourceLocation? = nil) {
        diagnostics.append(.error(message, help: help, at: location))
    }

    /// Records a warning.
    package mutating func warning(_ message: String, help: String? = nil, at location: SourceLocation? = nil) {
        diagnostics.append(.warning(message, help: help, at: location))
    }

    /// Throws everything collected when it contains an error.
    ///
    /// - Throws: `DiagnosticsError` carrying every diagnostic (warnings included) when any is an error.
    package func check() throws(DiagnosticsError) {
        if hasErrors { throw DiagnosticsError(diagnostics) }
    }
}

/// The error a parser or planner throws: every diagnostic it collected, errors and warnings.
package struct DiagnosticsError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The diagnostics, in the order they were found.
    package var diagnostics: [Diagnostic]

    /// Creates the error.
    package init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }

    /// Creates the error from one diagnostic.
    package init(_ diagnostic: Diagnostic) { self.diagnostics = [diagnostic] }

    /// The errors only.
    package var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }

    /// Every diagnostic rendered, one after another, each ending in a newline.
    package var description: String { diagnostics.map { "\($0)\n" }.joined() }
}

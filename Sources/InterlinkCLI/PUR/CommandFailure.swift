import ArgumentParser
import Foundation
import InterlinkCore

/// A failure a PUR command reports: its diagnostics go to stderr and the process exits with `exitCode`.
package struct CommandFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong (and any warnings collected before).
    package var diagnostics: [Diagnostic]
    /// The exit code: 64 for usage errors, 65 for invalid input files.
    package var exitCode: Int32

    /// Creates a failure.
    package init(_ diagnostics: [Diagnostic], exitCode: Int32) {
        self.diagnostics = diagnostics
        self.exitCode = exitCode
    }

    /// An invalid-input failure (exit 65) from a parser's diagnostics.
    package init(_ error: DiagnosticsError) { self.init(error.diagnostics, exitCode: 65) }

    /// A usage failure (exit 64).
    package static func usage(_ message: String, help: String? = nil) -> CommandFailure {
        CommandFailure([.error(message, help: help)], exitCode: 64)
    }

    /// A file that cannot be read (exit 65: the command's input is unusable).
    package static func unreadable(_ error: FileSystemError, role: String) -> CommandFailure {
        CommandFailure([.error("cannot read \(role) '\(error.path)': \(error.reason)")], exitCode: 65)
    }

    package var description: String { diagnostics.map { "\($0)\n" }.joined() }
}

/// Where the PUR commands write human-readable output.
package enum Console {
    /// Writes text to stderr (diagnostics, warnings).
    package static func error(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Writes every diagnostic to stderr.
    package static func report(_ diagnostics: [Diagnostic]) {
        guard !diagnostics.isEmpty else { return }
        error(diagnostics.map { "\($0)\n" }.joined())
    }

    /// Runs a command body, printing its stdout text and reporting a ``CommandFailure`` with its exit code.
    ///
    /// - Parameter body: The command's work; returns what to print on stdout and warnings for stderr.
    /// - Throws: `ExitCode` with the failure's code.
    package static func run(_ body: () throws(CommandFailure) -> (output: String, warnings: [Diagnostic])) throws {
        do {
            let (output, warnings) = try body()
            report(warnings)
            print(output, terminator: "")
        } catch {
            report(error.diagnostics)
            throw ExitCode(error.exitCode)
        }
    }
}

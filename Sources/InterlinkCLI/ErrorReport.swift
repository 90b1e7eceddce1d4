import ArgumentParser
import Foundation
import InterlinkCore

/// The one place errors reach the user: rendered like a compiler's diagnostics on stderr, with the exit status.
package enum ErrorReport {
    /// The text of an error: each diagnostic as `file:line:col: error: message`, then `  help: …` when it has
    /// help, each ending in a newline.
    ///
    /// - Parameter error: The error.
    /// - Returns: The text for stderr.
    package static func render(_ error: some UserFacingError) -> String {
        error.diagnostics.map { "\($0)\n" }.joined()
    }

    /// Prints an error on stderr and returns the exit code to end with.
    ///
    /// - Parameter error: The error.
    /// - Returns: The error's status as an `ExitCode`, for the caller to throw.
    package static func report(_ error: some UserFacingError) -> ExitCode {
        Console.error(render(error))
        return ExitCode(error.exitStatus.rawValue)
    }
}

/// Where commands write human-readable text for stderr.
package enum Console {
    /// Writes text to stderr (diagnostics, warnings), with every known secret masked (``ProcessRedactor``).
    package static func error(_ text: String) {
        FileHandle.standardError.write(Data(ProcessRedactor.redact(text).utf8))
    }

    /// Writes every diagnostic (warnings) to stderr.
    package static func report(_ diagnostics: [Diagnostic]) {
        guard !diagnostics.isEmpty else { return }
        error(diagnostics.map { "\($0)\n" }.joined())
    }

    /// Runs a command body, printing its stdout text and reporting a ``CommandFailure`` with its exit code.
    ///
    /// - Parameter body: The command's work; returns what to print on stdout and warnings for stderr.
    /// - Throws: `ExitCode` with the failure's status.
    package static func run(_ body: () throws(CommandFailure) -> (output: String, warnings: [Diagnostic])) throws {
        do {
            let (output, warnings) = try body()
            report(warnings)
            print(output, terminator: "")
        } catch {
            throw ErrorReport.report(error)
        }
    }

    /// Runs an async command body: reports a ``CommandFailure`` and exits with the body's status (success
    /// returns).
    ///
    /// - Throws: `ExitCode` for any status but success.
    package static func exit(_ body: () async throws(CommandFailure) -> ExitStatus) async throws {
        let status: ExitStatus
        do { status = try await body() } catch { throw ErrorReport.report(error) }
        if status != .success { throw ExitCode(status.rawValue) }
    }
}

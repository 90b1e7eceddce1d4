import InterlinkCore

/// A job the platform would refuse for its analysis, version, core type or cores per slot, found before anything
/// is uploaded (exit 65).
package struct AnalysisCheckError: Error, Hashable, Sendable, UserFacingError {
    /// What is wrong with a job.
    package enum Reason: Hashable, Sendable {
        /// No analysis has this code.
        case unknownAnalysis(String, known: [String])
        /// The analysis has no version or versionCode equal to this.
        case unknownVersion(String, analysis: String, known: [String])
        /// No core type has this code.
        case unknownCoreType(String, known: [String])
        /// The version does not run on this core type.
        case coreTypeNotAllowed(String, analysis: String, version: String, allowed: [String])
        /// The core type has no such core count.
        case coresPerSlotNotValid(Int, coreType: String, valid: [Int])
    }

    /// One distinct problem, where it first appears, and how many jobs have it.
    package struct Problem: Hashable, Sendable {
        /// What is wrong.
        package var reason: Reason
        /// The first job with it.
        package var job: String
        /// Where that job is defined.
        package var location: SourceLocation?
        /// How many jobs have it.
        package var jobs = 1

        /// The problem as a diagnostic.
        var diagnostic: Diagnostic {
            let (problem, fix) = AnalysisCheckError.describe(reason)
            let others = jobs > 1 ? " (and \(jobs - 1) more jobs)" : ""
            return .error("job '\(job)'\(others): \(problem)", help: fix, at: location)
        }
    }

    /// Every distinct problem, in plan order; never empty.
    package var problems: [Problem]

    /// The first problem's message.
    package var message: String { problems.first?.diagnostic.message ?? "a job cannot run on this platform" }
    /// The first problem's help.
    package var help: String? { problems.first?.diagnostic.help }
    /// The first problem's location.
    package var location: SourceLocation? { problems.first?.location }
    /// Invalid input (65).
    package var exitStatus: ExitStatus { .invalidInput }
    /// One error per distinct problem.
    package var diagnostics: [Diagnostic] { problems.map(\.diagnostic) }

    /// A reason as a problem and the fix that goes with it, for messages and help lines.
    ///
    /// - Parameter reason: What is wrong with a job.
    /// - Returns: The lowercase problem and the next action.
    package static func describe(_ reason: Reason) -> (problem: String, fix: String) {
        func list(_ items: [String]) -> String {
            items.isEmpty ? "(none)" : items.map { "'\($0)'" }.joined(separator: ", ")
        }
        switch reason {
        case .unknownAnalysis(let code, let known):
            return ("unknown analysis '\(code)'", "use one of the platform's analysis codes: \(list(known))")
        case .unknownVersion(let version, let analysis, let known):
            return (
                "unknown version '\(version)' of analysis '\(analysis)'",
                "use a version or versionCode the platform lists for it: \(list(known))"
            )
        case .unknownCoreType(let coreType, let known):
            return ("unknown core type '\(coreType)'", "use one of the platform's core types: \(list(known))")
        case .coreTypeNotAllowed(let coreType, let analysis, let version, let allowed):
            return (
                "analysis '\(analysis)' version '\(version)' does not run on core type '\(coreType)'",
                "use one of its core types: \(list(allowed))"
            )
        case .coresPerSlotNotValid(let cores, let coreType, let valid):
            return (
                "\(cores) cores per slot is not valid for core type '\(coreType)'",
                "use one of: \(valid.map(String.init).joined(separator: ", "))"
            )
        }
    }
}

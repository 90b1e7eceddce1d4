import InterlinkCore
import Synchronization

/// A `JobImporting` fake: returns scripted jobs per CSV path and records every call.
package final class FakeJobImporter: JobImporting {
    /// One recorded call.
    package struct Call: Hashable, Sendable {
        /// The resolved CSV path.
        package var path: String
        /// Where the `from:` key was.
        package var location: SourceLocation
        /// The defaults passed.
        package var defaults: JobTemplate
    }

    private let jobsByPath: [String: [JobSpec]]
    private let recorded = Mutex<[Call]>([])

    /// Creates the fake.
    ///
    /// - Parameter jobsByPath: The jobs to return for each absolute CSV path; other paths throw a diagnostic.
    package init(jobsByPath: [String: [JobSpec]] = [:]) { self.jobsByPath = jobsByPath }

    /// Every call so far, in order.
    package var calls: [Call] { recorded.withLock { $0 } }

    package func importJobs(
        fromCSVAt path: String,
        location: SourceLocation,
        defaults: JobTemplate
    ) throws(DiagnosticsError) -> [JobSpec] {
        recorded.withLock { $0.append(Call(path: path, location: location, defaults: defaults)) }
        guard let jobs = jobsByPath[path] else {
            throw DiagnosticsError(.error("no such jobs CSV '\(path)'", help: "check the path", at: location))
        }
        return jobs
    }
}

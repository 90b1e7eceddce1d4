import Foundation

/// The machine-readable form of a ``Plan`` that `rescale-int plan --json` prints (`schemas/plan.schema.json`).
///
/// Every path is relative to the spec's directory (with `..` where needed), so the output does not depend on
/// where the project is checked out. Keys are kebab-case and written sorted.
package struct PlanReport: Codable, Hashable, Sendable {
    /// The plan format version.
    package var version: Int
    /// The workflow's name.
    package var workflow: String
    /// The spec file, relative to its own directory (its file name).
    package var source: String
    /// Where the jobs run.
    package var platform: PlatformKind
    /// Run-wide settings.
    package var settings: Settings
    /// Counts and sizes over the whole plan.
    package var totals: Totals
    /// The nodes in plan order (dependencies first).
    package var nodes: [Node]

    /// Run-wide settings.
    package struct Settings: Codable, Hashable, Sendable {
        /// Concurrency per resource.
        package var workers: WorkerLimits
        /// Seconds between status polls.
        package var pollIntervalSeconds: Double
        /// Attempts per stage kind, every kind listed.
        package var attempts: [String: Int]

        enum CodingKeys: String, CodingKey {
            case workers
            case pollIntervalSeconds = "poll-interval-seconds"
            case attempts
        }
    }

    /// Counts and sizes over the whole plan.
    package struct Totals: Codable, Hashable, Sendable {
        /// Job nodes.
        package var jobs: Int
        /// Shared-input nodes.
        package var sharedInputs: Int
        /// Uploads (archives and files).
        package var uploads: Int
        /// Regular files that go into the uploads.
        package var files: Int
        /// Their plaintext bytes.
        package var bytes: Int64

        enum CodingKeys: String, CodingKey {
            case jobs
            case sharedInputs = "shared-inputs"
            case uploads, files, bytes
        }
    }

    /// Creates the report of a plan.
    ///
    /// - Parameter plan: The plan; its `baseDirectory` is what paths are made relative to.
    package init(_ plan: Plan) {
        let base = plan.baseDirectory
        version = plan.version
        workflow = plan.workflow
        source = PathName.basename(plan.source)
        platform = plan.platform
        var attempts: [String: Int] = [:]
        for stage in StageKind.allCases { attempts[stage.rawValue] = plan.settings.attempts(for: stage) }
        settings = Settings(
            workers: plan.settings.workers,
            pollIntervalSeconds: plan.settings.pollIntervalSeconds,
            attempts: attempts
        )
        nodes = plan.nodes.map { Node($0, base: base) }
        let uploads = plan.nodes.flatMap(\.uploads)
        totals = Totals(
            jobs: plan.jobs.count,
            sharedInputs: plan.nodes.count - plan.jobs.count,
            uploads: uploads.count,
            files: uploads.reduce(0) { $0 + $1.fileCount },
            bytes: uploads.reduce(0) { $0 + $1.bytes }
        )
    }

    /// The report as pretty, key-sorted JSON text ending in a newline.
    package func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

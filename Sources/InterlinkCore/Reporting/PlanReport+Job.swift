extension PlanReport {
    /// The parts of a job specification a reader of the plan needs.
    package struct Job: Codable, Hashable, Sendable {
        /// The analysis code.
        package var analysis: String
        /// The analysis version; nil for the latest.
        package var analysisVersion: String?
        /// The shell command.
        package var command: String
        /// The core type code.
        package var coreType: String
        /// Cores per slot.
        package var coresPerSlot: Int
        /// Slots.
        package var slots: Int
        /// Walltime in hours as given.
        package var walltimeHours: Double
        /// Whole hours sent to the platform (rounded up, at least 1).
        package var walltimeBilledHours: Int
        /// `submit` or `create-only`.
        package var submit: SubmitMode
        /// Environment variables (license variables included).
        package var environment: [String: String]
        /// Tags, in order.
        package var tags: [String]
        /// The project id, if any.
        package var projectID: String?
        /// Whether the job runs at low priority.
        package var lowPriority: Bool
        /// Whether and which outputs are downloaded, and where (relative to the spec's directory).
        package var outputs: OutputSpec

        enum CodingKeys: String, CodingKey {
            case analysis
            case analysisVersion = "analysis-version"
            case command
            case coreType = "core-type"
            case coresPerSlot = "cores-per-slot"
            case slots
            case walltimeHours = "walltime-hours"
            case walltimeBilledHours = "walltime-billed-hours"
            case submit, environment, tags
            case projectID = "project-id"
            case lowPriority = "low-priority"
            case outputs
        }

        init(_ job: JobSpec, base: String) {
            analysis = job.analysis.code
            analysisVersion = job.analysis.version
            command = job.command
            coreType = job.hardware.coreType
            coresPerSlot = job.hardware.coresPerSlot
            slots = job.hardware.slots
            walltimeHours = job.hardware.walltime.hours
            walltimeBilledHours = max(1, Int(job.hardware.walltime.hours.rounded(.up)))
            submit = job.submit
            environment = job.environment
            tags = job.tags
            projectID = job.projectID
            lowPriority = job.isLowPriority
            outputs = job.outputs
        }
    }
}

extension PathName {
    /// `path` relative to `base`, climbing with `..` when it is not inside (both absolute, normalized first).
    ///
    /// - Parameters:
    ///   - path: An absolute path.
    ///   - base: The absolute directory to be relative to.
    /// - Returns: A relative path such as `Run_1`, `.` or `../examples/case`; `path` itself when either is
    ///   relative.
    package static func relativePath(_ path: String, from base: String) -> String {
        guard isAbsolute(path), isAbsolute(base) else { return path }
        let target = normalize(path).split(separator: "/")
        let origin = normalize(base).split(separator: "/")
        let common = zip(target, origin).prefix { $0 == $1 }.count
        let parts = Array(repeating: "..", count: origin.count - common) + target[common...].map(String.init)
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }
}

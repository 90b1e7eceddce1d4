extension FileScan {
    /// One primary file and the inputs found for it; the JSON keys are Interlink's.
    package struct Job: Hashable, Sendable, Codable {
        /// The primary file's path.
        package var primaryFile: String
        /// The primary file's directory.
        package var primaryDirectory: String
        /// The primary file's name without its last extension (`model.v2.inp` → `model.v2`).
        package var primaryBase: String
        /// The primary file then every secondary file found, as paths.
        package var inputFiles: [String]
        /// Why the primary was skipped; empty for jobs.
        package var skipReason: String
        /// Optional files that were not found; nil when none.
        package var warnings: [String]?

        enum CodingKeys: String, CodingKey {
            case primaryFile = "PrimaryFile"
            case primaryDirectory = "PrimaryDir"
            case primaryBase = "PrimaryBase"
            case inputFiles = "InputFiles"
            case skipReason = "SkipReason"
            case warnings = "Warnings"
        }

        package func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(primaryFile, forKey: .primaryFile)
            try container.encode(primaryDirectory, forKey: .primaryDirectory)
            try container.encode(primaryBase, forKey: .primaryBase)
            try container.encode(inputFiles, forKey: .inputFiles)
            try container.encode(skipReason, forKey: .skipReason)
            try container.encode(warnings, forKey: .warnings)
        }
    }

    /// What a scan found, in the shape of Interlink's `scan-files --json` (absent lists are `null`).
    package struct Result: Hashable, Sendable, Codable {
        /// One entry per primary that became a job; nil when none did.
        package var jobs: [Job]?
        /// How many primary files were found.
        package var totalCount: Int
        /// How many became jobs.
        package var matchCount: Int
        /// Why the others were skipped; nil when none was.
        package var skippedFiles: [String]?
        /// Every warning; nil when none.
        package var warnings: [String]?
        /// The error that stopped the scan; empty when it did not stop.
        package var error: String

        enum CodingKeys: String, CodingKey {
            case jobs = "Jobs"
            case totalCount = "TotalCount"
            case matchCount = "MatchCount"
            case skippedFiles = "SkippedFiles"
            case warnings = "Warnings"
            case error = "Error"
        }

        package func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(jobs, forKey: .jobs)
            try container.encode(totalCount, forKey: .totalCount)
            try container.encode(matchCount, forKey: .matchCount)
            try container.encode(skippedFiles, forKey: .skippedFiles)
            try container.encode(warnings, forKey: .warnings)
            try container.encode(error, forKey: .error)
        }

        /// The text `scan-files` prints without `--json`.
        package var summary: String {
            var text = "Scan Results:\n  Total primary files found: \(totalCount)\n  Jobs created: \(matchCount)\n"
            if let skippedFiles {
                text += "  Skipped:\n" + skippedFiles.map { "    - \($0)\n" }.joined()
            }
            if let warnings {
                text += "  Warnings:\n" + warnings.map { "    - \($0)\n" }.joined()
            }
            return text
        }
    }
}

extension JobsCSV {
    /// Reads one data record into a ``JobsCSVRow``, collecting a located diagnostic for every bad value.
    struct RowReader {
        let record: CSVRecord
        let columns: [JobsCSVColumn: Int]
        let path: String
        /// Values used for empty cells (a workflow's `defaults:` for `from: jobs.csv`); empty for none.
        let defaults: JobTemplate
        private(set) var diagnostics = DiagnosticCollector()

        init(record: CSVRecord, columns: [JobsCSVColumn: Int], path: String, defaults: JobTemplate = JobTemplate()) {
            self.record = record
            self.columns = columns
            self.path = path
            self.defaults = defaults
        }

        /// The row; an invalid value is read as a placeholder (0 or empty) and its problem is in ``diagnostics``.
        mutating func readRow(requiresDirectory: Bool) -> JobsCSVRow {
            let directory = required(.directory, clean: FieldSanitizer.clean, when: requiresDirectory)
            return JobsCSVRow(
                directory: directory,
                jobName: required(.jobName, clean: FieldSanitizer.clean),
                analysisCode: required(.analysisCode, clean: FieldSanitizer.clean, fallback: defaults.analysisCode),
                analysisVersion: orDefault(FieldSanitizer.trim(raw(.analysisVersion)), defaults.analysisVersion),
                command: required(.command, clean: FieldSanitizer.cleanCommand, fallback: defaults.command),
                coreType: required(.coreType, clean: FieldSanitizer.clean, fallback: defaults.coreType),
                coresPerSlot: count(.coresPerSlot, fallback: defaults.coresPerSlot),
                walltimeHours: walltime(),
                slots: count(.slots, fallback: defaults.slots),
                licenseSettings: licenseSettings(),
                extraInputFileIDs: list(.extraInputFileIDs, separator: ",", clean: FieldSanitizer.trim),
                onDemandLicenseSeller: orDefault(
                    FieldSanitizer.trim(raw(.onDemandLicenseSeller)),
                    defaults.onDemandSeller
                ),
                projectID: orDefault(FieldSanitizer.clean(raw(.projectID)), defaults.projectID),
                orgCode: orDefault(FieldSanitizer.clean(raw(.orgCode)), defaults.orgCode),
                tags: orDefault(list(.tags, separator: ",", clean: FieldSanitizer.clean), defaults.tags),
                noDecompress: boolean(.noDecompress),
                isLowPriority: boolean(.isLowPriority),
                submit: submitMode(),
                tarSubpath: tarSubpath(),
                inputFiles: inputFiles(),
                origin: record.location(in: path),
                directoryLocation: location(.directory)
            )
        }

        // MARK: Fields

        private func field(_ column: JobsCSVColumn) -> CSVField? {
            columns[column].flatMap { $0 < record.fields.count ? record.fields[$0] : nil }
        }

        private func raw(_ column: JobsCSVColumn) -> String { field(column)?.value ?? "" }

        private func location(_ column: JobsCSVColumn) -> SourceLocation {
            field(column)?.location(in: path) ?? record.location(in: path)
        }

        private mutating func fail(_ column: JobsCSVColumn, _ message: String, help: String) {
            diagnostics.error(message, help: help, at: location(column))
        }

        // MARK: Grammars

        /// A cleaned value, or the default when the cell is empty.
        private func orDefault<Value: Collection>(_ value: Value, _ fallback: Value?) -> Value {
            value.isEmpty ? fallback ?? value : value
        }

        private mutating func required(
            _ column: JobsCSVColumn,
            clean: (String) -> String,
            when isRequired: Bool = true,
            fallback: String? = nil
        ) -> String {
            let value = orDefault(clean(raw(column)), fallback)
            if value.isEmpty, isRequired {
                fail(column, "\(column.rawValue) is empty", help: Self.emptyHelp[column] ?? "give a value")
            }
            return value
        }

        private static let emptyHelp: [JobsCSVColumn: String] = [
            .directory: "give the run directory, absolute or relative to the working directory (or the CSV's folder)",
            .jobName: "name the job, for example Run_1",
            .analysisCode: "give the Rescale analysis code, for example user_included",
            .command: "give the shell command the job runs",
            .coreType: "give the Rescale core type code, for example emerald",
        ]

        /// A whole number of at least 1: optional sign, ASCII digits.
        private mutating func count(_ column: JobsCSVColumn, fallback: Int? = nil) -> Int {
            let text = FieldSanitizer.trim(raw(column))
            let name = column.rawValue
            if text.isEmpty, let fallback, fallback >= 1 { return fallback }
            guard !text.isEmpty else {
                fail(column, "\(name) is empty", help: "write a whole number of at least 1, such as 4")
                return 0
            }
            let digits = text.first == "+" || text.first == "-" ? text.dropFirst() : Substring(text)
            guard !digits.isEmpty, digits.unicodeScalars.allSatisfy({ $0 >= "0" && $0 <= "9" }),
                let value = Int(text.first == "+" ? String(digits) : text)
            else {
                fail(column, "invalid \(name) '\(text)'", help: "write a whole number of at least 1, such as 4")
                return 0
            }
            guard value >= 1 else {
                fail(column, "\(name) must be at least 1, not '\(text)'", help: "write a whole number such as 4")
                return 0
            }
            return value
        }

        private mutating func walltime() -> Double {
            let text = FieldSanitizer.trim(raw(.walltimeHours))
            let help = "write hours as a decimal number such as 2 or 0.5, without units"
            if text.isEmpty, let fallback = defaults.walltime?.hours, fallback > 0 { return fallback }
            guard !text.isEmpty else {
                fail(.walltimeHours, "WalltimeHours is empty", help: help)
                return 0
            }
            guard JobsCSV.isDecimalNumber(text), let hours = Double(text), hours.isFinite else {
                fail(.walltimeHours, "invalid WalltimeHours '\(text)'", help: help)
                return 0
            }
            guard hours > 0 else {
                fail(.walltimeHours, "WalltimeHours must be greater than 0, not '\(text)'", help: help)
                return 0
            }
            guard hours <= Walltime.maximumHours else {
                let maximum = Walltime.formatHours(Walltime.maximumHours)
                fail(
                    .walltimeHours,
                    "WalltimeHours '\(text)' is more than the maximum of \(maximum) hours",
                    help: "the value is in hours, not seconds; use at most \(maximum)"
                )
                return 0
            }
            return hours
        }

        private mutating func boolean(_ column: JobsCSVColumn) -> Bool {
            let text = FieldSanitizer.trim(raw(column))
            switch text.lowercased() {
            case "", "false", "no", "0": return false
            case "true", "yes", "1": return true
            default:
                fail(
                    column,
                    "invalid \(column.rawValue) '\(text)'",
                    help: "write true or false (yes/no and 1/0 work too)"
                )
                return false
            }
        }

        private mutating func submitMode() -> SubmitMode {
            let text = FieldSanitizer.trim(raw(.submit))
            if text.isEmpty, let fallback = defaults.submit { return fallback }
            if let mode = JobsCSV.submitMode(text) { return mode }
            fail(
                .submit,
                "invalid Submit '\(text)'",
                help: "write yes to create and submit or no to create only "
                    + "(also accepted: true, submit, create_and_submit, false, create_only, draft)"
            )
            return .submit
        }

        private mutating func list(
            _ column: JobsCSVColumn,
            separator: Character,
            clean: (String) -> String
        ) -> [String] {
            raw(column).split(separator: separator, omittingEmptySubsequences: false)
                .map { clean(String($0)) }.filter { !$0.isEmpty }
        }

        private mutating func licenseSettings() -> [String: String] {
            let text = FieldSanitizer.trim(raw(.licenseSettings))
            guard !text.isEmpty else { return [:] }
            guard let value = JSONValue.parse(text) else {
                fail(
                    .licenseSettings,
                    "LicenseSettings is not valid JSON",
                    help: "write a JSON object such as {\"LM_LICENSE_FILE\":\"27000@host\"}, "
                        + "doubling every quote inside the CSV field"
                )
                return [:]
            }
            guard case .object(let members) = value, !members.isEmpty else {
                fail(
                    .licenseSettings,
                    "LicenseSettings must be a non-empty JSON object",
                    help: "write an object with at least one variable, or leave the field empty"
                )
                return [:]
            }
            return members.mapValues(\.environmentText)
        }

        private mutating func tarSubpath() -> String {
            let text = FieldSanitizer.trim(raw(.tarSubpath))
            guard !text.isEmpty, !JobsCSV.isInside(text) else { return text }
            fail(
                .tarSubpath,
                "TarSubpath '\(text)' leaves the run directory",
                help: "give a subdirectory inside Directory, such as inputs"
            )
            return text
        }

        private mutating func inputFiles() -> [String]? {
            guard field(.inputFiles) != nil else { return nil }
            let files = list(.inputFiles, separator: ";", clean: FieldSanitizer.trim)
            guard !files.isEmpty else { return nil }
            for file in files where !JobsCSV.isInside(file) || PathName.isAbsolute(file) {
                fail(
                    .inputFiles,
                    "InputFiles entry '\(file)' is not inside the run directory",
                    help: "list paths relative to Directory, separated by ';', without '..'"
                )
            }
            return files
        }
    }
}

/// Finds the run directories `make-dirs-csv` makes jobs from, and numbers and names them.
///
/// Compatible with Interlink's flags, with its naming defects fixed:
/// * a pattern without a directory part scans the current directory and yields relative paths (Interlink made
///   them absolute), so a generated CSV keeps working when its study folder moves;
/// * directories are in natural order (`Run_2` before `Run_10`), part directories in the order given;
/// * a directory's number is the **last** run of ASCII digits in its basename (`DOE1_Run_5` → 5; Interlink took
///   the first, 1); a basename without digits gets its 0-based position plus `startIndex`;
/// * two directories that would get the same job name (`Run_7` and `Run_007`, or one directory listed twice)
///   are an error naming both.
package enum RunDirectoryScan {
    /// What to scan.
    package struct Options: Hashable, Sendable {
        /// The pattern: a directory part (the base, unless `cwd` is set) and a last component globbed in it.
        package var pattern: String
        /// The base directory instead of the pattern's directory part.
        package var cwd: String?
        /// A path under the base (or under each part directory) where the run directories are.
        package var runSubpath: String?
        /// Part (project) directories for multi-part mode; empty for single mode.
        package var partDirectories: [String]
        /// A basename glob that some file below a run directory must match for it to count.
        package var validationPattern: String?
        /// The first number given to directories whose names have no digits.
        package var startIndex: Int

        /// Creates options.
        package init(
            pattern: String,
            cwd: String? = nil,
            runSubpath: String? = nil,
            partDirectories: [String] = [],
            validationPattern: String? = nil,
            startIndex: Int = 1
        ) {
            self.pattern = pattern
            self.cwd = cwd
            self.runSubpath = runSubpath
            self.partDirectories = partDirectories
            self.validationPattern = validationPattern
            self.startIndex = startIndex
        }
    }

    /// One run directory found.
    package struct RunDirectory: Hashable, Sendable {
        /// The path as it goes into `Directory` (relative when the base was relative).
        package var path: String
        /// The job number.
        package var number: Int
        /// The part directory's basename in multi-part mode.
        package var project: String?
        /// The generated job name.
        package var jobName: String
    }

    /// Scans for run directories and names them.
    ///
    /// - Parameters:
    ///   - options: The pattern and flags.
    ///   - templateJobName: The template row's job name; its one trailing `_1` is dropped to make the base name.
    ///   - fileSystem: Where to look; relative paths resolve against its current directory.
    /// - Returns: The run directories in order.
    /// - Throws: `DiagnosticsError` when nothing matches, a subpath is missing, the pattern is malformed or two
    ///   directories get the same job name.
    package static func scan(
        _ options: Options,
        templateJobName: String,
        in fileSystem: some FileSystem
    ) throws(DiagnosticsError) -> [RunDirectory] {
        try scanWithWarnings(options, templateJobName: templateJobName, in: fileSystem).runs
    }

    /// Scans for run directories and names them, with a warning for each part directory skipped because it does
    /// not exist or has no run subpath (Interlink skips them silently).
    ///
    /// - Parameters:
    ///   - options: The pattern and flags.
    ///   - templateJobName: The template row's job name; its one trailing `_1` is dropped to make the base name.
    ///   - fileSystem: Where to look; relative paths resolve against its current directory.
    /// - Returns: The run directories in order, and the warnings.
    /// - Throws: `DiagnosticsError` as ``scan(_:templateJobName:in:)`` does, with the warnings first.
    package static func scanWithWarnings(
        _ options: Options,
        templateJobName: String,
        in fileSystem: some FileSystem
    ) throws(DiagnosticsError) -> (runs: [RunDirectory], warnings: [Diagnostic]) {
        var finder = Finder(options: options, fileSystem: fileSystem)
        let found: [Match]
        do {
            found = try finder.find()
        } catch {
            throw DiagnosticsError(finder.warnings + error.diagnostics)
        }
        let base = baseName(fromTemplate: templateJobName)
        var runs: [RunDirectory] = []
        for (position, match) in found.enumerated() {
            let number = lastNumber(in: PathName.basename(match.path)) ?? position + options.startIndex
            let name = match.project.map { "\(base)_\(number)_\($0)" } ?? "\(base)_\(number)"
            runs.append(RunDirectory(path: match.path, number: number, project: match.project, jobName: name))
        }
        var diagnostics = DiagnosticCollector()
        var firstWithName: [String: RunDirectory] = [:]
        for run in runs {
            guard let first = firstWithName[run.jobName] else {
                firstWithName[run.jobName] = run
                continue
            }
            diagnostics.error(
                "job name '\(run.jobName)' would be used for both '\(first.path)' and '\(run.path)'",
                help:
                    "rename one of the directories, or leave one out with a narrower --pattern or --validation-pattern"
            )
        }
        guard !diagnostics.hasErrors else { throw DiagnosticsError(finder.warnings + diagnostics.diagnostics) }
        return (runs, finder.warnings)
    }

    /// The base of generated job names: the template name without one trailing `_1`; `Job` when empty.
    ///
    /// - Parameter name: The template row's job name.
    /// - Returns: The base name.
    package static func baseName(fromTemplate name: String) -> String {
        let base = name.hasSuffix("_1") ? String(name.dropLast(2)) : name
        return base.isEmpty ? "Job" : base
    }

    /// The value of the last run of ASCII digits in `name`, or nil when there is none (or it overflows).
    ///
    /// - Parameter name: A directory basename or job name.
    /// - Returns: The number, or nil.
    package static func lastNumber(in name: String) -> Int? {
        let scalars = Array(name.unicodeScalars)
        guard let end = scalars.lastIndex(where: { ("0"..."9").contains($0) }) else { return nil }
        var start = end
        while start > 0, ("0"..."9").contains(scalars[start - 1]) { start -= 1 }
        return Int(String(String.UnicodeScalarView(scalars[start...end])))
    }
}

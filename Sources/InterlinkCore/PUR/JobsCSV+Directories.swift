extension JobsCSV {
    /// Resolves the rows' `Directory` values as Interlink does, against the working directory, falling back to
    /// the CSV's own folder, and refuses a relative value that names two different existing folders.
    ///
    /// Interlink resolves relative values against the process's working directory only, so a CSV run from
    /// another folder silently archives other directories (or none). Here a relative value that exists only
    /// under the CSV's folder is taken from there, and one that exists under both and names two different
    /// folders (not the same folder through a link) is an error at its cell. A value that exists under neither
    /// resolves against the working directory, where Interlink would look.
    package struct DirectoryResolution: Sendable {
        /// The absolute working directory.
        package var workingDirectory: String
        /// The absolute folder of the CSV.
        package var csvDirectory: String
        /// Where `~` expands to.
        package var options: Options
        /// Where the directories are looked up.
        package var fileSystem: any FileSystem
        /// What looks the rows' directories up several at once, if anything (the result is the same).
        package var parallelism: (any ParallelRunner)?

        /// Creates a resolution.
        ///
        /// - Parameters:
        ///   - workingDirectory: The absolute working directory (the process's, for a CLI run).
        ///   - csvDirectory: The absolute folder of the CSV.
        ///   - options: Archive settings; their home directory expands `~`.
        ///   - fileSystem: Where the directories are looked up.
        ///   - parallelism: What looks the rows' directories up several at once, if anything.
        package init(
            workingDirectory: String,
            csvDirectory: String,
            options: Options,
            fileSystem: any FileSystem,
            parallelism: (any ParallelRunner)? = nil
        ) {
            self.workingDirectory = workingDirectory
            self.csvDirectory = csvDirectory
            self.options = options
            self.fileSystem = fileSystem
            self.parallelism = parallelism
        }

        /// The rows with absolute `Directory` values, the errors of ambiguous values and a warning for each row
        /// whose directory (and tar subpath) an earlier row already archives.
        ///
        /// - Parameter rows: The rows as read; an empty `Directory` is left empty (it is already an error).
        /// - Returns: The resolved rows, in order, and the diagnostics, in row order.
        package func resolve(_ rows: [JobsCSVRow]) -> (rows: [JobsCSVRow], diagnostics: [Diagnostic]) {
            var diagnostics: [Diagnostic] = []
            // Only what a warning names of the first row is kept: a whole row per key costs a large plan dearly.
            var firstRow: [String: (jobName: String, origin: SourceLocation?)] = [:]
            firstRow.reserveCapacity(rows.count)
            // The file system is asked first, for every row (several at once with a runner); the rows are then
            // resolved and compared in order.
            let look: @Sendable (Int) -> Lookup? = { [self] index in self.lookUp(rows[index]) }
            let lookups =
                if let parallelism, rows.count > 1 {
                    parallelism.map(rows.count, chunk: 64, look)
                } else {
                    rows.indices.map(look)
                }
            let resolved = zip(rows, lookups).map { row, lookup -> JobsCSVRow in
                guard let lookup else { return row }
                var resolved = row
                let at = row.directoryLocation ?? row.origin
                switch lookup.directory {
                case .resolved(let path):
                    resolved.directory = path
                case .ambiguous(let fromWorking, let fromCSV):
                    diagnostics.append(
                        .error(
                            "Directory '\(row.directory)' names two different folders: '\(fromWorking)' (from the "
                                + "working directory) and '\(fromCSV)' (from the CSV's folder)",
                            help: "write the absolute path of the one you mean, such as '\(fromWorking)', or run "
                                + "from a folder where only one of them exists",
                            at: at
                        )
                    )
                    resolved.directory = fromWorking
                }
                // Rows listing their own InputFiles (scan-files) share a folder on purpose.
                guard let key = lookup.key else { return resolved }
                if let first = firstRow[key] {
                    diagnostics.append(
                        .warning(
                            "row '\(row.jobName)' archives the same directory as row '\(first.jobName)' "
                                + "('\(resolved.directory)')",
                            help: "both jobs upload the same files; give each row its own Directory, or a "
                                + "TarSubpath or InputFiles that tell them apart"
                                + (first.origin.map { " (the first is at \($0))" } ?? ""),
                            at: at
                        )
                    )
                } else {
                    firstRow[key] = (row.jobName, row.origin)
                }
                return resolved
            }
            return (resolved, diagnostics)
        }

        /// What the file system says about one row: where its `Directory` points and, for a row without its own
        /// `InputFiles`, the folder it archives with links resolved and its tar subpath (rows with equal keys
        /// archive the same files).
        struct Lookup: Sendable {
            var directory: Resolved
            var key: String?
        }

        /// Looks one row's directory up; nil for an empty `Directory`.
        private func lookUp(_ row: JobsCSVRow) -> Lookup? {
            guard !row.directory.isEmpty else { return nil }
            let found = directory(of: row.directory)
            // An ambiguous value is compared as the working directory's folder, as it is resolved.
            let path =
                switch found {
                case .resolved(let resolved): resolved
                case .ambiguous(let fromWorking, _): fromWorking
                }
            // Rows listing their own InputFiles (scan-files) share a folder on purpose.
            guard row.inputFiles == nil else { return Lookup(directory: found, key: nil) }
            let key = fileSystem.resolvingLinks(path) + "\u{0}" + Self.subpath(row.tarSubpath)
            return Lookup(directory: found, key: key)
        }

        /// Where a `Directory` value points.
        enum Resolved: Hashable, Sendable {
            /// One absolute path.
            case resolved(String)
            /// A relative value that exists under both folders as two different directories.
            case ambiguous(fromWorking: String, fromCSV: String)
        }

        /// Resolves one `Directory` value.
        func directory(of value: String) -> Resolved {
            if value == "~" || value.hasPrefix("~/") || PathName.isAbsolute(value) {
                return .resolved(options.resolve(value, against: workingDirectory))
            }
            let fromWorking = PathName.resolve(value, against: workingDirectory)
            let fromCSV = PathName.resolve(value, against: csvDirectory)
            guard fromWorking != fromCSV else { return .resolved(fromWorking) }
            let inWorking = fileSystem.isDirectory(followingLinksAt: fromWorking)
            let inCSV = fileSystem.isDirectory(followingLinksAt: fromCSV)
            switch (inWorking, inCSV) {
            case (true, true):
                guard fileSystem.resolvingLinks(fromWorking) == fileSystem.resolvingLinks(fromCSV) else {
                    return .ambiguous(fromWorking: fromWorking, fromCSV: fromCSV)
                }
                return .resolved(fromWorking)
            case (false, true): return .resolved(fromCSV)
            default: return .resolved(fromWorking)
            }
        }

        /// A tar subpath made comparable: trimmed of `./` and slashes at its ends.
        private static func subpath(_ value: String) -> String {
            value.isEmpty ? "" : PathName.normalize(value)
        }
    }
}

extension JobsCSV {
    /// Two lists of diagnostics of one file merged by line, each list keeping its order (and the first list's
    /// entries first on one line).
    ///
    /// - Parameters:
    ///   - first: Diagnostics in file order.
    ///   - second: More diagnostics in file order.
    /// - Returns: Both, ordered by line.
    package static func merge(_ first: [Diagnostic], _ second: [Diagnostic]) -> [Diagnostic] {
        guard !second.isEmpty else { return first }
        return (first.map { (0, $0) } + second.map { (1, $0) }).enumerated().sorted { lhs, rhs in
            (lhs.element.1.location?.line ?? 0, lhs.element.0, lhs.offset)
                < (rhs.element.1.location?.line ?? 0, rhs.element.0, rhs.offset)
        }.map(\.element.1)
    }
}

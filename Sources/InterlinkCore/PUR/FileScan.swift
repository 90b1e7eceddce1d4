/// `scan-files`: one job per primary file, with the secondary files it needs.
///
/// Secondary specs: a trailing `:optional` makes a spec optional, `:required` (or nothing) required. Every `*`
/// stands for the primary's base name (never a wildcard); the result is relative to the primary's directory
/// (`../common.cfg` works). When no file has that exact name and the spec still holds `?` or `[...]`, it is
/// globbed in the primary's directory and every match is an input (Interlink took `?` and `[` literally and
/// found one file per spec at most). Directories are never primary files.
///
/// Unlike Interlink, the rows generated from a scan keep their file lists in the `InputFiles` column, so each job
/// archives only its own files.
package enum FileScan {
    /// Scans for primary files and their secondaries.
    ///
    /// - Parameters:
    ///   - root: The directory the primary pattern is relative to, as the user wrote it.
    ///   - primary: The primary glob (may have directory parts).
    ///   - secondaries: The secondary specs, in order.
    ///   - fileSystem: Where to look; relative paths resolve against its current directory.
    /// - Returns: The scan result.
    /// - Throws: `DiagnosticsError` when no primary file matches or a pattern is malformed.
    package static func scan(
        root: String,
        primary: String,
        secondaries: [String],
        in fileSystem: some FileSystem
    ) throws(DiagnosticsError) -> Result {
        let cwd = fileSystem.currentDirectory
        let pattern = root.isEmpty || root == "." ? primary : PathName.join(root, primary)
        let primaries: [String]
        do {
            primaries = try GlobExpansion.expand(pattern, relativeTo: cwd, in: fileSystem)
                .filter { !fileSystem.isDirectory(followingLinksAt: PathName.resolve($0, against: cwd)) }
        } catch {
            throw DiagnosticsError(.error("\(error)", help: "fix the --primary glob"))
        }
        guard !primaries.isEmpty else {
            throw DiagnosticsError(
                .error("no files found matching pattern '\(pattern)'", help: "check --root and --primary")
            )
        }
        var jobs: [Job] = []
        var skipped: [String] = []
        var warnings: [String] = []
        for file in primaries {
            let job = try resolve(primary: file, secondaries: secondaries, in: fileSystem)
            if job.skipReason.isEmpty {
                jobs.append(job)
                warnings += job.warnings ?? []
            } else {
                skipped.append(job.skipReason)
            }
        }
        return Result(
            jobs: jobs.isEmpty ? nil : jobs,
            totalCount: primaries.count,
            matchCount: jobs.count,
            skippedFiles: skipped.isEmpty ? nil : skipped,
            warnings: warnings.isEmpty ? nil : warnings,
            error: ""
        )
    }

    /// The base name: the file name without its last extension.
    ///
    /// - Parameter name: A file name.
    /// - Returns: The name without its last extension.
    package static func baseName(of name: String) -> String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name }
        return String(name[..<dot])
    }

    private static func resolve(
        primary file: String,
        secondaries: [String],
        in fileSystem: some FileSystem
    ) throws(DiagnosticsError) -> Job {
        let name = PathName.basename(file)
        let directory = PathName.dirname(file)
        let base = baseName(of: name)
        var job = Job(
            primaryFile: file,
            primaryDirectory: directory,
            primaryBase: base,
            inputFiles: [file],
            skipReason: ""
        )
        var warnings: [String] = []
        for spec in secondaries {
            var pattern = spec
            var isRequired = true
            if pattern.hasSuffix(":optional") {
                pattern.removeLast(":optional".count)
                isRequired = false
            } else if pattern.hasSuffix(":required") {
                pattern.removeLast(":required".count)
            }
            let substituted = PathName.normalize(PathName.join(directory, pattern.replacing("*", with: base)))
            let found = try files(matching: substituted, in: fileSystem)
            if !found.isEmpty {
                job.inputFiles += found.filter { !job.inputFiles.contains($0) }
            } else if isRequired {
                job.skipReason = "\(name): required secondary file not found: \(substituted)"
                job.warnings = nil
                return job
            } else {
                warnings.append("\(name): optional file not found: \(substituted)")
            }
        }
        job.warnings = warnings.isEmpty ? nil : warnings
        return job
    }

    /// The file at `path`, or else the files its `?` and `[...]` wildcards match.
    private static func files(matching path: String, in fileSystem: some FileSystem) throws(DiagnosticsError)
        -> [String]
    {
        let cwd = fileSystem.currentDirectory
        if let entry = fileSystem.entry(at: PathName.resolve(path, against: cwd)),
            !fileSystem.isDirectory(followingLinksAt: entry.path)
        {
            return [path]
        }
        guard Glob.hasWildcards(path) else { return [] }
        do {
            return try GlobExpansion.expand(path, relativeTo: cwd, in: fileSystem)
                .filter { !fileSystem.isDirectory(followingLinksAt: PathName.resolve($0, against: cwd)) }
        } catch {
            throw DiagnosticsError(.error("\(error)", help: "fix the --secondary glob"))
        }
    }
}

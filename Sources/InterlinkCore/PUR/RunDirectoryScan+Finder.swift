extension RunDirectoryScan {
    /// A directory that matched, before numbering.
    struct Match {
        var path: String
        var project: String?
    }

    /// Globs the pattern in the base or part directories and keeps the valid run directories.
    struct Finder<FS: FileSystem> {
        let options: Options
        let fileSystem: FS
        /// Warnings about part directories that were skipped.
        private(set) var warnings: [Diagnostic] = []

        init(options: Options, fileSystem: FS) {
            self.options = options
            self.fileSystem = fileSystem
        }

        mutating func find() throws(DiagnosticsError) -> [Match] {
            let last = PathName.basename(options.pattern)
            let validation: Glob?
            do {
                validation = try options.validationPattern.flatMap { $0.isEmpty ? nil : try Glob($0) }
            } catch {
                throw DiagnosticsError(.error("\(error)", help: "fix the --validation-pattern glob"))
            }
            let suffix = validation.map { " with validation pattern '\($0.pattern)'" } ?? ""
            if !options.partDirectories.isEmpty {
                var raw: [Match] = []
                for part in options.partDirectories {
                    let scanDirectory = options.runSubpath.map { PathName.join(part, $0) } ?? part
                    guard fileSystem.isDirectory(followingLinksAt: resolve(scanDirectory)) else {
                        warnings.append(skippedPartWarning(part))
                        continue
                    }
                    let project = PathName.basename(part)
                    raw += try candidates(Self.join(scanDirectory, last)).map { Match(path: $0, project: project) }
                }
                guard !raw.isEmpty else {
                    throw DiagnosticsError(
                        .error(
                            "no run directories found in any part directory for pattern '\(last)'",
                            help: "check --part-dirs, --run-subpath and --pattern"
                        )
                    )
                }
                let valid = raw.filter { isValid($0.path, validation) }
                guard !valid.isEmpty else {
                    throw DiagnosticsError(.error("no valid run directories found\(suffix)", help: "check the pattern"))
                }
                return valid
            }
            let hasDirectoryPart = options.pattern.contains("/")
            // Without a directory part the scan is in the current directory and paths stay relative (Interlink
            // made them absolute), so the generated CSV can move with its study.
            let base = options.cwd ?? (hasDirectoryPart ? PathName.dirname(options.pattern) : ".")
            let bases = try Glob.hasWildcards(base) ? candidates(base) : [base]
            var matches: [Match] = []
            for base in bases {
                var scanDirectory = base
                if let subpath = options.runSubpath, !subpath.isEmpty {
                    scanDirectory = PathName.join(base, subpath)
                    guard fileSystem.isDirectory(followingLinksAt: resolve(scanDirectory)) else {
                        if bases.count == 1 {
                            throw DiagnosticsError(
                                .error(
                                    "subpath '\(subpath)' not found under '\(base)'",
                                    help: "check --run-subpath, or leave it out"
                                )
                            )
                        }
                        continue
                    }
                }
                matches += try candidates(Self.join(scanDirectory, last)).map { Match(path: $0) }
            }
            matches = matches.filter { isValid($0.path, validation) }
            guard !matches.isEmpty else {
                throw DiagnosticsError(
                    .error(
                        "no directories matched pattern '\(options.pattern)'\(suffix)",
                        help: "check the pattern; the last component is matched against directory names"
                    )
                )
            }
            return matches
        }

        /// The warning for a part directory that is skipped: it does not exist, or lacks the run subpath.
        private func skippedPartWarning(_ part: String) -> Diagnostic {
            let at = SourceLocation(file: part)
            guard fileSystem.isDirectory(followingLinksAt: resolve(part)) else {
                return .warning(
                    "part directory does not exist and is skipped",
                    help: "check the --part-dirs list (relative paths start at the current directory)",
                    at: at
                )
            }
            let subpath = options.runSubpath ?? ""
            return .warning(
                "part directory has no run subpath '\(subpath)' and is skipped",
                help: "create '\(PathName.join(part, subpath))', or check --run-subpath",
                at: at
            )
        }

        /// Joins a directory and a name, leaving out a `.` directory so that paths stay short.
        private static func join(_ directory: String, _ name: String) -> String {
            directory == "." ? name : PathName.join(directory, name)
        }

        private func resolve(_ path: String) -> String {
            PathName.resolve(path, against: fileSystem.currentDirectory)
        }

        /// Directories (links followed) matching a glob, hidden ones left out, naturally sorted.
        private func candidates(_ pattern: String) throws(DiagnosticsError) -> [String] {
            do {
                return try GlobExpansion.expand(pattern, relativeTo: fileSystem.currentDirectory, in: fileSystem)
                    .filter {
                        !PathName.basename($0).hasPrefix(".") && fileSystem.isDirectory(followingLinksAt: resolve($0))
                    }
            } catch {
                throw DiagnosticsError(.error("\(error)", help: "fix the --pattern glob"))
            }
        }

        /// Whether some file anywhere below `directory` has a basename matching the validation glob.
        private func isValid(_ directory: String, _ validation: Glob?) -> Bool {
            guard let validation else { return true }
            var pending = [resolve(directory)]
            var visited = 0
            while let next = pending.popLast(), visited < 100_000 {
                visited += 1
                guard let entries = try? fileSystem.contentsOfDirectory(at: next) else { continue }
                for entry in entries {
                    if entry.isDirectory {
                        pending.append(entry.path)
                    } else if validation.matches(entry.name) {
                        return true
                    }
                }
            }
            return false
        }
    }
}

extension Glob {
    /// Whether a path has any unescaped wildcard (`*`, `?` or `[`).
    ///
    /// - Parameter path: The path or pattern.
    /// - Returns: Whether it would glob.
    package static func hasWildcards(_ path: String) -> Bool {
        (try? Glob(path))?.hasWildcards ?? false
    }
}

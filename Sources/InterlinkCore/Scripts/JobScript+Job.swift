extension JobScript {
    /// How missing directives are treated.
    package enum Mode: Hashable, Sendable {
        /// Every required directive must be present (`jobs submit --script`, script templates).
        case strict
        /// rescale-cli `submit` compatibility: missing name, core type, cores per slot, walltime and analysis take
        /// rescale-cli's defaults (`Unnamed Job`, `emerald`, 1, 48 h, `user_included`).
        case compat
    }

    /// The script with rescale-cli's defaults in the fields it leaves empty, in compat mode; itself in strict mode.
    ///
    /// Each default taken is a warning at the file (`Unnamed Job`, `emerald`, 1 core per slot, 48 hours,
    /// `user_included`), so that a script that relied on them by mistake says so.
    ///
    /// - Parameter mode: Strict or rescale-cli compatible.
    /// - Returns: The script, its diagnostics including the warnings.
    package func applyingDefaults(for mode: Mode) -> JobScript {
        guard mode == .compat else { return self }
        var script = self
        let file = SourceLocation(file: path)
        func guess(_ directive: ScriptDirective, _ value: String) {
            script.diagnostics.append(
                .warning(
                    "no '\(directive.rawValue)': using rescale-cli's default '\(value)'",
                    help: "add a line '\(directive.rawValue) \(value)' to say so",
                    at: file
                )
            )
        }
        if script.name?.isEmpty ?? true {
            script.name = "Unnamed Job"
            guess(.name, "Unnamed Job")
        }
        if script.coreType?.isEmpty ?? true {
            script.coreType = "emerald"
            guess(.cores, "emerald")
        }
        if script.coresPerSlot == nil, !invalidDirectives.contains(.coresPerSlot) {
            script.coresPerSlot = 1
            guess(.coresPerSlot, "1")
        }
        if script.walltime == nil, !invalidDirectives.contains(.walltime) {
            script.walltime = Walltime(hours: 48)
            guess(.walltime, "48")
        }
        if script.analysisCode?.isEmpty ?? true {
            script.analysisCode = "user_included"
            guess(.analysis, "user_included")
        }
        return script
    }

    /// The job a standalone script describes: its directory archived as the input, slots defaulting to 1.
    ///
    /// - Parameters:
    ///   - mode: Strict or rescale-cli compatible.
    ///   - directory: The script's absolute directory, archived as the job's input.
    /// - Returns: The job.
    /// - Throws: `DiagnosticsError` with the reading errors and every missing required directive (warnings are
    ///   included when there is an error).
    package func makeJob(mode: Mode, directory: String) throws(DiagnosticsError) -> JobSpec {
        let script = applyingDefaults(for: mode)
        var collector = DiagnosticCollector()
        collector.append(contentsOf: script.diagnostics)
        let file = SourceLocation(file: path)
        func require(_ value: String?, _ directive: ScriptDirective, _ example: String) {
            guard value?.trimmingWhitespace().isEmpty ?? true, !invalidDirectives.contains(directive) else { return }
            collector.error(
                "missing required directive '\(directive.rawValue)'",
                help: "add a line '\(directive.rawValue) \(example)'",
                at: file
            )
        }
        require(script.name, .name, "<job name>")
        require(script.command, .command, "<command>")
        require(script.analysisCode, .analysis, "user_included")
        require(script.coreType, .cores, "emerald")
        require(script.coresPerSlot.map(String.init), .coresPerSlot, "4")
        require(script.walltime.map(\.description), .walltime, "<hours>")
        try collector.check()
        return script.template.makeJob(
            name: script.name ?? "",
            baseDirectory: directory,
            homeDirectory: "/",
            origin: file
        ).withInputs([.archive(ArchiveInput(directory: directory))])
    }

    /// The job a standalone script describes, run from inside its archived directory (see
    /// ``command(_:inDirectoryNamed:)``): what `validate`, `plan` and `run` use for a script given on its own.
    ///
    /// - Parameters:
    ///   - mode: Strict or rescale-cli compatible.
    ///   - directory: The script's absolute directory, archived as the job's input.
    /// - Returns: The job.
    /// - Throws: `DiagnosticsError` as ``makeJob(mode:directory:)`` does.
    package func makeRunnableJob(mode: Mode, directory: String) throws(DiagnosticsError) -> JobSpec {
        var job = try makeJob(mode: mode, directory: directory)
        job.command = Self.command(job.command, inDirectoryNamed: PathName.basename(directory))
        return job
    }

    /// A script's command made to run inside its own archived directory.
    ///
    /// Archives are rooted at the directory's name (`case_1/…`), as PUR's are, while a script expects to run where
    /// it lies (as `qsub -cwd` does), so the job first changes into that directory.
    ///
    /// - Parameters:
    ///   - body: The script's command.
    ///   - name: The archived directory's name.
    /// - Returns: The command with a leading `cd`.
    package static func command(_ body: String, inDirectoryNamed name: String) -> String {
        "cd '\(name.replacingOccurrences(of: "'", with: "'\\''"))' || exit 1\n\(body)"
    }
}

extension JobSpec {
    /// This job with other inputs.
    func withInputs(_ inputs: [InputSpec]) -> JobSpec {
        var job = self
        job.inputs = inputs
        return job
    }
}

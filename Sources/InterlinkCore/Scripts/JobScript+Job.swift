extension JobScript {
    /// How missing directives are treated.
    package enum Mode: Hashable, Sendable {
        /// Every required directive must be present (`jobs submit --script`, script templates).
        case strict
        /// rescale-cli `submit` compatibility: missing name, core type, cores per slot, walltime and analysis take
        /// rescale-cli's defaults (`Unnamed Job`, `emerald`, 1, 48 h, `user_included`).
        case compat
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
        var script = self
        if mode == .compat {
            if script.name?.isEmpty ?? true { script.name = "Unnamed Job" }
            if script.coreType?.isEmpty ?? true { script.coreType = "emerald" }
            if script.coresPerSlot == nil { script.coresPerSlot = 1 }
            if script.walltime == nil { script.walltime = Walltime(hours: 48) }
            if script.analysisCode?.isEmpty ?? true { script.analysisCode = "user_included" }
        }
        var collector = DiagnosticCollector()
        collector.append(contentsOf: diagnostics)
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
}

extension JobSpec {
    /// This job with other inputs.
    func withInputs(_ inputs: [InputSpec]) -> JobSpec {
        var job = self
        job.inputs = inputs
        return job
    }
}

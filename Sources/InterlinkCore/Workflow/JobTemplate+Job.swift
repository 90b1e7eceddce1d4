extension JobTemplate {
    /// Builds the job this template describes, substituting placeholders and resolving archive directories.
    ///
    /// Fields the template leaves unset take ``builtIn`` values (the command defaults to empty, which the
    /// parser reports before calling this). Placeholders are substituted in the command, environment values,
    /// tags, archive directories, subpaths, file lists and globs, and the output destination (where `{job}`
    /// stays for the runner).
    ///
    /// - Parameters:
    ///   - name: The job name, already substituted.
    ///   - variables: Placeholder values, such as matrix axes or `{dir}`.
    ///   - baseDirectory: The absolute directory relative archive directories resolve against.
    ///   - homeDirectory: What a leading `~` means.
    ///   - needs: Names of jobs this one waits for.
    ///   - origin: Where the job was defined.
    /// - Returns: The job.
    package func makeJob(
        name: String,
        variables: [String: String] = [:],
        baseDirectory: String,
        homeDirectory: String,
        needs: [String] = [],
        origin: SourceLocation? = nil
    ) -> JobSpec {
        let full = Self.builtIn.overlaid(by: self)
        func fill(_ text: String) -> String { Placeholder.substitute(text, with: variables) }
        let walltime = full.walltime ?? Walltime(hours: 1)
        return JobSpec(
            name: name,
            analysis: AnalysisSpec(code: full.analysisCode ?? "user_included", version: full.analysisVersion),
            command: fill(full.command ?? ""),
            hardware: HardwareSpec(
                coreType: full.coreType ?? "emerald",
                coresPerSlot: full.coresPerSlot ?? 1,
                slots: full.slots ?? 1,
                walltime: walltime
            ),
            environment: full.environment.mapValues(fill),
            license: LicenseSpec(
                useRescaleLicense: full.useRescaleLicense ?? false,
                onDemandSeller: full.onDemandSeller,
                userDefinedSettings: full.userDefinedLicenseSettings
            ),
            projectID: full.projectID,
            orgCode: full.orgCode,
            tags: (full.tags ?? []).map(fill),
            isLowPriority: full.isLowPriority ?? false,
            submit: full.submit ?? .submit,
            inputs: (full.inputs ?? []).map { input in
                guard case .archive(var archive) = input else { return input }
                let directory = fill(archive.directory)
                archive.directory =
                    directory == "~" || directory.hasPrefix("~/")
                    ? PathName.normalize(homeDirectory + directory.dropFirst())
                    : PathName.resolve(directory, against: baseDirectory)
                archive.include = archive.include.map(fill)
                archive.exclude = archive.exclude.map(fill)
                archive.subpath = archive.subpath.map(fill)
                archive.files = archive.files?.map(fill)
                return .archive(archive)
            },
            outputs: OutputSpec(
                include: (full.outputInclude ?? []).map(fill),
                exclude: (full.outputExclude ?? []).map(fill),
                destination: fill(full.outputDestination ?? OutputSpec.default.destination),
                download: full.outputDownload ?? true
            ),
            needs: needs,
            automations: full.automations ?? [],
            origin: origin
        )
    }
}

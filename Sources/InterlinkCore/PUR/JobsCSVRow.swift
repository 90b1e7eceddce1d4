/// One data row of an Interlink jobs CSV with typed, cleaned values, as read and as written.
///
/// This is the CSV's own view of a job: `directory` is kept as written (relative paths stay relative) so that a
/// row can be written back unchanged; ``JobsCSVRow/makeJob(baseDirectory:options:)`` turns it into a
/// ``JobSpec``.
package struct JobsCSVRow: Hashable, Sendable {
    /// The run directory as written (`~` and relative paths unresolved).
    package var directory: String
    /// The job name.
    package var jobName: String
    /// The analysis code, such as `user_included`.
    package var analysisCode: String
    /// The analysis version (display name or version code); empty for the latest.
    package var analysisVersion: String
    /// The command, line endings normalised to LF.
    package var command: String
    /// The core type code, such as `emerald`.
    package var coreType: String
    /// Cores per slot, at least 1.
    package var coresPerSlot: Int
    /// The walltime in hours, finite, greater than 0 and at most ``Walltime/maximumHours``.
    package var walltimeHours: Double
    /// Slots, at least 1.
    package var slots: Int
    /// The license environment variables from `LicenseSettings`.
    package var licenseSettings: [String: String]
    /// Rescale file ids attached to this job, always decompressed.
    package var extraInputFileIDs: [String]
    /// The on-demand license seller code; empty for none.
    package var onDemandLicenseSeller: String
    /// The Rescale project id; empty for none.
    package var projectID: String
    /// The organization code for project assignment; empty to use the configured one.
    package var orgCode: String
    /// Tags, in order, duplicates kept.
    package var tags: [String]
    /// Whether the archive is sent with `decompress: false`.
    package var noDecompress: Bool
    /// Whether the job runs at low priority.
    package var isLowPriority: Bool
    /// Whether the job is submitted after it is created.
    package var submit: SubmitMode
    /// The subdirectory of `directory` to archive; empty for the whole directory.
    package var tarSubpath: String
    /// Files relative to `directory` to archive instead of the whole directory (the `InputFiles` column).
    package var inputFiles: [String]?
    /// The row's place in the file it was read from; nil for rows built in code.
    package var origin: SourceLocation?
    /// Where the row's `Directory` cell is, for diagnostics about the directory; nil for rows built in code.
    package var directoryLocation: SourceLocation?

    /// Creates a row.
    package init(
        directory: String,
        jobName: String,
        analysisCode: String,
        analysisVersion: String = "",
        command: String,
        coreType: String,
        coresPerSlot: Int,
        walltimeHours: Double,
        slots: Int = 1,
        licenseSettings: [String: String] = [:],
        extraInputFileIDs: [String] = [],
        onDemandLicenseSeller: String = "",
        projectID: String = "",
        orgCode: String = "",
        tags: [String] = [],
        noDecompress: Bool = false,
        isLowPriority: Bool = false,
        submit: SubmitMode = .submit,
        tarSubpath: String = "",
        inputFiles: [String]? = nil,
        origin: SourceLocation? = nil,
        directoryLocation: SourceLocation? = nil
    ) {
        self.directory = directory
        self.jobName = jobName
        self.analysisCode = analysisCode
        self.analysisVersion = analysisVersion
        self.command = command
        self.coreType = coreType
        self.coresPerSlot = coresPerSlot
        self.walltimeHours = walltimeHours
        self.slots = slots
        self.licenseSettings = licenseSettings
        self.extraInputFileIDs = extraInputFileIDs
        self.onDemandLicenseSeller = onDemandLicenseSeller
        self.projectID = projectID
        self.orgCode = orgCode
        self.tags = tags
        self.noDecompress = noDecompress
        self.isLowPriority = isLowPriority
        self.submit = submit
        self.tarSubpath = tarSubpath
        self.inputFiles = inputFiles
        self.origin = origin
        self.directoryLocation = directoryLocation
    }

    /// The job this row describes.
    ///
    /// The directory is resolved against `baseDirectory` (with `~` expanded to `options.homeDirectory`) and
    /// becomes the job's first input, an archive built with `options`; each extra file id follows as an
    /// existing, decompressed file.
    ///
    /// - Parameters:
    ///   - baseDirectory: The absolute directory relative `Directory` values resolve against (usually the
    ///     CSV's folder).
    ///   - options: Archive and defaults settings from config.csv or flags.
    /// - Returns: The job specification.
    package func makeJob(baseDirectory: String, options: JobsCSV.Options) -> JobSpec {
        let archive = ArchiveInput(
            directory: options.resolve(directory, against: baseDirectory),
            include: options.include,
            exclude: options.exclude,
            flatten: options.flatten,
            subpath: JobsCSV.normalizedSubpath(tarSubpath),
            compression: options.compression,
            decompress: !noDecompress,
            files: inputFiles,
            absoluteNames: options.absoluteNames
        )
        let extras = extraInputFileIDs.map { InputSpec.existing(ExistingFile(id: $0, decompress: true)) }
        let fallbackOrg = options.orgCode.isEmpty ? nil : options.orgCode
        return JobSpec(
            name: jobName,
            analysis: AnalysisSpec(code: analysisCode, version: analysisVersion.isEmpty ? nil : analysisVersion),
            command: command,
            hardware: HardwareSpec(
                coreType: coreType,
                coresPerSlot: coresPerSlot,
                slots: slots,
                walltime: Walltime(hours: walltimeHours)
            ),
            environment: licenseSettings,
            license: LicenseSpec(onDemandSeller: onDemandLicenseSeller.isEmpty ? nil : onDemandLicenseSeller),
            projectID: projectID.isEmpty ? nil : projectID,
            orgCode: orgCode.isEmpty ? fallbackOrg : orgCode,
            tags: tags,
            isLowPriority: isLowPriority,
            submit: submit,
            inputs: [.archive(archive)] + extras,
            outputs: OutputSpec(download: submit == .submit),
            origin: origin
        )
    }
}

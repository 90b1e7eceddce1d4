/// The columns of an Interlink jobs CSV, in the canonical order Interlink writes them.
package enum JobsCSVColumn: String, Hashable, Sendable, CaseIterable {
    case directory = "Directory"
    case jobName = "JobName"
    case analysisCode = "AnalysisCode"
    case analysisVersion = "AnalysisVersion"
    case command = "Command"
    case coreType = "CoreType"
    case coresPerSlot = "CoresPerSlot"
    case walltimeHours = "WalltimeHours"
    case slots = "Slots"
    case licenseSettings = "LicenseSettings"
    case extraInputFileIDs = "ExtraInputFileIDs"
    case onDemandLicenseSeller = "OnDemandLicenseSeller"
    case projectID = "ProjectID"
    case orgCode = "OrgCode"
    case tags = "Tags"
    case noDecompress = "NoDecompress"
    case isLowPriority = "IsLowPriority"
    case submit = "Submit"
    case tarSubpath = "TarSubpath"
    /// Interlink for Swift's one extra column: `;`-separated files, relative to `Directory`, to archive instead
    /// of the whole directory. Interlink ignores unknown columns, so files that use it stay readable there.
    case inputFiles = "InputFiles"

    /// The 19 columns Interlink writes, in order (``inputFiles`` is not one of them).
    package static let canonical: [JobsCSVColumn] = allCases.filter { $0 != .inputFiles }

    /// The columns whose header must be present (their values may still be checked separately), in the order
    /// Interlink checks them.
    package static let required: [JobsCSVColumn] = [
        .directory, .jobName, .analysisCode, .command, .coreType, .coresPerSlot, .walltimeHours, .slots,
        .licenseSettings,
    ]

    /// The header name as matched: trimmed and lower-cased.
    package var key: String { rawValue.lowercased() }

    /// Finds the column a header cell names: the cell is trimmed of Unicode whitespace and lower-cased, then
    /// compared exactly (there are no aliases).
    ///
    /// - Parameter header: The header cell as written.
    package init?(header: String) {
        let key = header.trimmingWhitespace().lowercased()
        guard let column = Self.allCases.first(where: { $0.key == key }) else { return nil }
        self = column
    }
}

/// One entry of `GET /api/v3/analyses/`: a software code and its versions.
package struct AnalysisRecord: Decodable, Hashable, Sendable {
    /// The analysis code, such as `openfoam`.
    package var code: String
    /// The display name.
    package var name: String?
    /// Its versions.
    package var versions: [Version]?

    /// One version: its display name, the code sent in a job, and the core types it runs on.
    package struct Version: Decodable, Hashable, Sendable {
        /// The display version, such as `CPU` or `2023 R1`.
        package var version: String?
        /// What a job's `analysis.version` carries, such as `0`.
        package var versionCode: String?
        /// The core type codes it runs on.
        package var allowedCoreTypes: [String]?

        /// Creates a version.
        package init(version: String?, versionCode: String?, allowedCoreTypes: [String]?) {
            self.version = version
            self.versionCode = versionCode
            self.allowedCoreTypes = allowedCoreTypes
        }
    }

    /// Creates a record.
    package init(code: String, name: String? = nil, versions: [Version]?) {
        self.code = code
        self.name = name
        self.versions = versions
    }
}

/// One entry of `GET /api/v3/coretypes/`: a core type and its valid cores per slot.
package struct CoreTypeRecord: Decodable, Hashable, Sendable {
    /// The code, such as `emerald`.
    package var code: String
    /// The display name.
    package var name: String?
    /// Whether it can be chosen now.
    package var isActive: Bool?
    /// The valid core counts (cores per slot).
    package var cores: [Int]?

    /// Creates a record.
    package init(code: String, name: String? = nil, isActive: Bool? = nil, cores: [Int]?) {
        self.code = code
        self.name = name
        self.isActive = isActive
        self.cores = cores
    }
}

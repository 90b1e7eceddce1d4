extension JobsCSV {
    /// Settings that do not come from a jobs CSV's rows but shape the jobs built from them: archive filters and
    /// compression from config.csv or flags, the default organization code and the home directory for `~`.
    package struct Options: Hashable, Sendable {
        /// Basename globs a file must match to be archived; empty keeps everything.
        package var include: [String]
        /// Basename globs of files left out of archives.
        package var exclude: [String]
        /// Archive files under their basenames only.
        package var flatten: Bool
        /// Archive compression.
        package var compression: Compression
        /// Store absolute entry names (Interlink's `--multipart`).
        package var absoluteNames: Bool
        /// The organization code used when a row's `OrgCode` is empty; empty for none.
        package var orgCode: String
        /// The home directory a leading `~` in `Directory` expands to (absolute).
        package var homeDirectory: String

        /// Creates options; the defaults match Interlink's: no filters, no flattening, no compression.
        package init(
            include: [String] = [],
            exclude: [String] = [],
            flatten: Bool = false,
            compression: Compression = .none,
            absoluteNames: Bool = false,
            orgCode: String = "",
            homeDirectory: String
        ) {
            self.include = include
            self.exclude = exclude
            self.flatten = flatten
            self.compression = compression
            self.absoluteNames = absoluteNames
            self.orgCode = orgCode
            self.homeDirectory = homeDirectory
        }

        /// Resolves a `Directory` value: `~` and `~/…` expand to the home directory, relative paths resolve
        /// against `base`, and the result is normalized.
        ///
        /// - Parameters:
        ///   - directory: The value as written.
        ///   - base: The absolute directory relative values are relative to.
        /// - Returns: An absolute, normalized path.
        package func resolve(_ directory: String, against base: String) -> String {
            if directory == "~" { return PathName.normalize(homeDirectory) }
            if directory.hasPrefix("~/") {
                return PathName.normalize(PathName.join(homeDirectory, String(directory.dropFirst(2))))
            }
            return PathName.resolve(directory, against: base)
        }
    }
}

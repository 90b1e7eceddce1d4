/// The settings of Interlink's config.csv that matter to Interlink for Swift.
package struct PURConfig: Hashable, Sendable {
    /// How the connection goes through a proxy.
    package enum ProxyMode: String, Hashable, Sendable, CaseIterable {
        case noProxy = "no-proxy"
        case system
        case basic
        case ntlm
    }

    /// Concurrent archive workers, at least 1.
    package var tarWorkers = 4
    /// Concurrent upload workers, at least 1.
    package var uploadWorkers = 4
    /// Concurrent create and submit workers, at least 1.
    package var jobWorkers = 4
    /// Archive compression.
    package var compression = Compression.none
    /// Basename globs of files left out of archives.
    package var excludePatterns: [String] = []
    /// Basename globs a file must match to be archived; empty keeps everything.
    package var includePatterns: [String] = []
    /// Archive files under their basenames only.
    package var flattenTar = false
    /// Upload attempts per archive, at least 1.
    package var maxRetries = 1
    /// The default organization code for project assignment; empty for none.
    package var orgCode = ""
    /// The platform's base URL.
    package var apiBaseURL = "https://platform.rescale.com"
    /// The proxy mode.
    package var proxyMode = ProxyMode.noProxy
    /// The proxy host; empty for none.
    package var proxyHost = ""
    /// The proxy port; 0 for none.
    package var proxyPort = 0
    /// The proxy user name; empty for none.
    package var proxyUser = ""
    /// Hosts that bypass the proxy, as written.
    package var noProxy = ""
    /// Whether to send a warm-up request through a basic proxy before uploads.
    package var proxyWarmup = false

    /// The defaults, which a missing config.csv means.
    package init() {}

    /// The jobs-CSV options these settings imply.
    ///
    /// - Parameters:
    ///   - homeDirectory: The home directory `~` expands to.
    ///   - absoluteNames: Whether archive entries use absolute names (`--multipart`).
    /// - Returns: The options for reading jobs CSVs.
    package func jobsOptions(homeDirectory: String, absoluteNames: Bool = false) -> JobsCSV.Options {
        JobsCSV.Options(
            include: includePatterns,
            exclude: excludePatterns,
            flatten: flattenTar,
            compression: compression,
            absoluteNames: absoluteNames,
            orgCode: orgCode,
            homeDirectory: homeDirectory
        )
    }
}

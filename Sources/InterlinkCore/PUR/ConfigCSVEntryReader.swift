extension ConfigCSV {
    /// Applies one `key,value` row to a configuration, collecting a located warning for each bad value (which is
    /// ignored: the setting keeps its default, as Interlink does, but the user is told where and why).
    struct EntryReader {
        let path: String
        private(set) var diagnostics = DiagnosticCollector()

        init(path: String) { self.path = path }

        /// Keys Interlink knows but only its GUI or other commands use; accepted and ignored.
        private static let ignoredKeys: Set<String> = [
            "run_subpath", "validation_pattern", "sort_field", "sort_ascending", "detailed_logging",
        ]

        /// Every key the file may hold, for near-miss hints.
        private static let knownKeys: [String] =
            [
                "tar_workers", "upload_workers", "job_workers", "tar_compression", "exclude_pattern",
                "include_pattern", "flatten_tar", "max_retries", "org_code", "api_base_url", "tenant_url",
                "proxy_mode", "proxy_host", "proxy_port", "proxy_user", "no_proxy", "proxy_warmup", "proxy_password",
                "api_key",
            ] + ignoredKeys.sorted()

        mutating func apply(key: String, keyField: CSVField, value field: CSVField, to config: inout PURConfig) {
            let value = field.value.trimmingWhitespace()
            let location = field.location(in: path)
            switch key {
            case "tar_workers": config.tarWorkers = count(value, key: key, at: location) ?? config.tarWorkers
            case "upload_workers": config.uploadWorkers = count(value, key: key, at: location) ?? config.uploadWorkers
            case "job_workers": config.jobWorkers = count(value, key: key, at: location) ?? config.jobWorkers
            case "max_retries": config.maxRetries = count(value, key: key, at: location) ?? config.maxRetries
            case "proxy_port":
                guard !value.isEmpty else { return }
                guard let port = Int(value), (0...65535).contains(port) else {
                    diagnostics.warning(
                        "invalid proxy_port '\(value)' is ignored",
                        help: "write a port number from 0 to 65535",
                        at: location
                    )
                    return
                }
                config.proxyPort = port
            case "tar_compression": config.compression = compression(value, at: location) ?? config.compression
            case "exclude_pattern": config.excludePatterns = Self.patterns(value)
            case "include_pattern": config.includePatterns = Self.patterns(value)
            case "flatten_tar": config.flattenTar = boolean(value, key: key, at: location) ?? config.flattenTar
            case "proxy_warmup": config.proxyWarmup = boolean(value, key: key, at: location) ?? config.proxyWarmup
            case "org_code": config.orgCode = value
            case "api_base_url", "tenant_url": if !value.isEmpty { config.apiBaseURL = value }
            case "proxy_host": config.proxyHost = value
            case "proxy_user": config.proxyUser = value
            case "no_proxy": config.noProxy = value
            case "proxy_mode":
                guard let mode = PURConfig.ProxyMode(rawValue: value.lowercased()) else {
                    let modes = PURConfig.ProxyMode.allCases.map(\.rawValue)
                    diagnostics.warning(
                        "invalid proxy_mode '\(value)' is ignored",
                        help: Suggestion.help(for: value, in: modes, noun: "mode"),
                        at: location
                    )
                    return
                }
                config.proxyMode = mode
            case "api_key", "proxy_password":
                diagnostics.warning(
                    "\(key) in config.csv is ignored",
                    help: key == "api_key"
                        ? "set RESCALE_API_KEY or use --token-file, and delete this row"
                        : "set the proxy password in the environment, and delete this row",
                    at: keyField.location(in: path)
                )
            default:
                guard !Self.ignoredKeys.contains(key) else { return }
                let help = Suggestion.closest(to: key, in: Self.knownKeys).map { "did you mean '\($0)'?" }
                diagnostics.warning("unknown setting '\(key)' is ignored", help: help, at: keyField.location(in: path))
            }
        }

        private static func patterns(_ value: String) -> [String] {
            value.split(separator: ";").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
        }

        private mutating func count(_ value: String, key: String, at location: SourceLocation) -> Int? {
            guard !value.isEmpty else { return nil }
            guard let number = Int(value) else {
                diagnostics.warning(
                    "invalid \(key) '\(value)' is ignored",
                    help: "write a whole number of at least 1",
                    at: location
                )
                return nil
            }
            guard number >= 1 else {
                diagnostics.warning(
                    "\(key) must be at least 1, not '\(value)': ignored",
                    help: "write 1 or more",
                    at: location
                )
                return nil
            }
            return number
        }

        private mutating func boolean(_ value: String, key: String, at location: SourceLocation) -> Bool? {
            switch value.lowercased() {
            case "", "false", "no", "0": return false
            case "true", "yes", "1": return true
            default:
                diagnostics.warning("invalid \(key) '\(value)' is ignored", help: "write true or false", at: location)
                return nil
            }
        }

        private mutating func compression(_ value: String, at location: SourceLocation) -> Compression? {
            switch value.lowercased() {
            case "", "none": return Compression.none
            case "gzip", "gz", "tar.gz": return .gzip
            case "zstd", "zst", "tar.zst": return .zstd
            default:
                diagnostics.warning(
                    "invalid tar_compression '\(value)' is ignored",
                    help: Suggestion.help(for: value, in: Compression.allCases.map(\.rawValue), noun: "value"),
                    at: location
                )
                return nil
            }
        }
    }
}

/// The global connection and config flags, which every command accepts anywhere on its command line:
/// `--api-url URL`, `--api-key KEY`, `--token-file PATH` and `-c/--config FILE`.
///
/// Like the logging flags, they are taken out of the arguments before ArgumentParser sees them, so that every
/// command (the new ones and the old ones) takes them without declaring them.
package struct GlobalOptions: Hashable, Sendable {
    /// The platform URL, over `RESCALE_API_URL` and the profile.
    package var apiURL: String?
    /// The API key given on the command line (visible to other users in the process list).
    package var apiKey: String?
    /// A file holding the API key.
    package var tokenFile: String?
    /// An Interlink `config.csv` to read instead of the per-user one.
    package var configFile: String?

    /// Creates options.
    package init(apiURL: String? = nil, apiKey: String? = nil, tokenFile: String? = nil, configFile: String? = nil) {
        self.apiURL = apiURL
        self.apiKey = apiKey
        self.tokenFile = tokenFile
        self.configFile = configFile
    }

    /// The lines `rescale-int --help` shows for these flags.
    package static let helpText = """
        Connection (any command): --api-url URL sets the platform; --token-file PATH reads the API key from a \
        file; --api-key KEY works too, but other users of the machine can read it from the process list (prefer \
        --token-file or RESCALE_API_KEY). -c/--config FILE reads an Interlink config.csv instead of the per-user \
        one ($XDG_CONFIG_HOME/rescale/config.csv).
        """

    /// Stores the value of one of these flags.
    private mutating func set(_ name: String, to value: String) {
        switch name {
        case "--api-url": apiURL = value
        case "--api-key": apiKey = value
        case "--token-file": tokenFile = value
        default: configFile = value
        }
    }

    private static let names: Set<String> = ["--api-url", "--api-key", "--token-file", "--config", "-c"]

    /// Splits these flags from the rest of a command line; `--` ends the search.
    ///
    /// - Parameter arguments: The command line without the program name.
    /// - Returns: The options and the arguments left for ArgumentParser.
    /// - Throws: ``CommandFailure`` (64) when a flag has no value.
    package static func extract(from arguments: [String]) throws(CommandFailure) -> (
        options: GlobalOptions, remaining: [String]
    ) {
        var options = GlobalOptions()
        var remaining: [String] = []
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            index += 1
            if argument == "--" {
                remaining.append(contentsOf: arguments[(index - 1)...])
                break
            }
            let (name, inline) = split(argument)
            guard names.contains(name) else {
                remaining.append(argument)
                continue
            }
            let value: String
            if let inline {
                value = inline
            } else if index < arguments.endIndex {
                value = arguments[index]
                index += 1
            } else {
                value = ""
            }
            guard !value.isEmpty else {
                throw .usage("missing value for '\(name)'", help: "give it a value: \(name) VALUE")
            }
            options.set(name, to: value)
        }
        return (options, remaining)
    }

    /// `--name=value` as its two parts; other arguments whole.
    private static func split(_ argument: String) -> (String, String?) {
        guard argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") else { return (argument, nil) }
        return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }
}

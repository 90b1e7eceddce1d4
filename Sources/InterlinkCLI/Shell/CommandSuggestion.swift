import ArgumentParser
import InterlinkCore

/// "Did you mean" for a mistyped command: ArgumentParser suggests near-miss flags but reports an unknown
/// subcommand only as an unexpected argument.
package enum CommandSuggestion {
    /// The usage failure for a command line whose command word names no command of its group.
    ///
    /// Walks the words while each names a subcommand (or an alias); the first word of a group that names none is
    /// the mistake. Flags, `help` and commands without subcommands end the walk.
    ///
    /// - Parameters:
    ///   - arguments: The command line without the program name.
    ///   - root: The root command.
    /// - Returns: The failure (exit 64) with a `did you mean` or the list of commands, or nil when there is none.
    package static func failure(
        for arguments: [String],
        root: any ParsableCommand.Type = InterlinkCommand.self
    ) -> CommandFailure? {
        var command = root
        var path = [root._commandName]
        for word in arguments {
            let subcommands = command.configuration.subcommands
            guard !subcommands.isEmpty, command.configuration.defaultSubcommand == nil, !word.hasPrefix("-"),
                word != "help"
            else { return nil }
            let next = subcommands.first { $0._commandName == word || $0.configuration.aliases.contains(word) }
            if let next {
                command = next
                path.append(word)
                continue
            }
            let names = subcommands.filter { $0.configuration.shouldDisplay }.map { $0._commandName }
            let group = path.joined(separator: " ")
            let help =
                Suggestion.closest(to: word, in: names).map { "did you mean '\(group) \($0)'?" }
                ?? "use one of: \(names.joined(separator: ", ")) (see '\(group) --help')"
            return .usage("unknown command '\(TerminalText.escaped(word))' for '\(group)'", help: help)
        }
        return nil
    }
}

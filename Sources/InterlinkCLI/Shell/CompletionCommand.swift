import ArgumentParser
import InterlinkCore

/// `rescale-int completion bash|zsh|fish`: prints the shell's completion script for every visible command.
package struct CompletionCommand: ParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "completion",
        abstract: "Print a shell completion script (bash, zsh or fish).",
        discussion: """
            Hidden and developer commands and flags are not offered.

            Examples:
              rescale-int completion bash > ~/.local/share/bash-completion/completions/rescale-int
              rescale-int completion zsh > "${fpath[1]}/_rescale-int"
              rescale-int completion fish > ~/.config/fish/completions/rescale-int.fish

            \(ExitStatus.helpText([.success, .usage]))
            """
    )

    /// The shells a script can be printed for.
    package enum Shell: String, ExpressibleByArgument, CaseIterable, Sendable {
        /// GNU bash 4 or later (with bash-completion).
        case bash
        /// zsh.
        case zsh
        /// fish.
        case fish

        var completionShell: CompletionShell {
            switch self {
            case .bash: .bash
            case .zsh: .zsh
            case .fish: .fish
            }
        }
    }

    /// The shell to print the script for.
    @Argument(help: "bash, zsh or fish.")
    package var shell: Shell

    /// Creates the command (ArgumentParser fills it in).
    package init() {}

    package func run() throws {
        print(Self.script(for: shell), terminator: "")
    }

    /// The completion script of `rescale-int` for a shell.
    ///
    /// - Parameter shell: The shell.
    /// - Returns: The script, ending in a newline.
    package static func script(for shell: Shell) -> String {
        let script = InterlinkCommand.completionScript(for: shell.completionShell)
        return script.hasSuffix("\n") ? script : script + "\n"
    }
}

import ArgumentParser
import Foundation
import InterlinkCLI
import InterlinkCore
import InterlinkTestSupport
import Testing

/// Did-you-mean for mistyped commands, and the shell completion scripts.
@Suite struct ShellTests {
    @Test func aMistypedCommandSuggestsTheNearestOne() throws {
        let root = try #require(CommandSuggestion.failure(for: ["rnu", "jobs.csv"]))
        #expect(root.exitStatus == .usage)
        #expect(root.message == "unknown command 'rnu' for 'rescale-int'")
        #expect(root.help == "did you mean 'rescale-int run'?")
        let nested = try #require(CommandSuggestion.failure(for: ["pur", "plna", "jobs.csv"]))
        #expect(nested.help == "did you mean 'rescale-int pur plan'?")
        let far = try #require(CommandSuggestion.failure(for: ["xyzzy"]))
        #expect(far.help?.hasPrefix("use one of: validate, plan, run, ") == true)
        #expect(far.help?.contains("completion") == true)
    }

    @Test func knownCommandsFlagsAndHelpAreLeftToTheParser() {
        for arguments in [["run", "x.yaml"], ["--help"], ["help", "run"], ["pur", "plan", "x"], ["config"], []] {
            #expect(CommandSuggestion.failure(for: arguments) == nil, "\(arguments)")
        }
    }

    @Test func theBashScriptParsesAndOffersTheVisibleCommandsOnly() async throws {
        let script = CompletionCommand.script(for: .bash)
        let path = NSTemporaryDirectory() + "interlink-completion-\(UUID().uuidString).bash"
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let output = try await ChildProcess.run("/bin/bash", ["-n", path])
        #expect(output.status == 0, "\(output.stderrText)")
        for command in ["validate", "plan", "run", "resume", "status", "runs", "pur", "config", "completion"] {
            #expect(script.contains(command), "missing \(command)")
        }
        #expect(!script.contains("crash-after-record"))
        #expect(script.contains("--poll-interval"))
    }

    @Test func zshAndFishScriptsNameTheCommands() {
        for shell in [CompletionCommand.Shell.zsh, .fish] {
            let script = CompletionCommand.script(for: shell)
            #expect(script.contains("validate") && script.contains("completion"), "\(shell)")
            #expect(!script.contains("crash-after-record"), "\(shell)")
        }
    }
}

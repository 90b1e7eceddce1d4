import ArgumentParser
import Foundation
import InterlinkCLI
import InterlinkCore
import InterlinkEngine
import Logging
import RescaleAPI
import Testing

@Suite struct ErrorReportTests {
    @Test func journalErrorsKeepMessageHelpAndLocationApartAndMapToTheirStatus() {
        let corrupt = JournalError(.corruptLine(line: 3, detail: "bad json"), path: "runs/r/journal.jsonl")
        #expect(corrupt.message == "line 3 is not a valid journal record: bad json")
        #expect(corrupt.help == "restore the journal from a backup or start a new run")
        #expect(corrupt.location == SourceLocation(file: "runs/r/journal.jsonl", line: 3))
        #expect(corrupt.exitStatus == .invalidInput)
        #expect(
            ErrorReport.render(CommandFailure(corrupt))
                == "runs/r/journal.jsonl:3: error: line 3 is not a valid journal record: bad json\n"
                + "  help: restore the journal from a backup or start a new run\n"
        )
        #expect(ErrorReport.render(corrupt) == corrupt.description + "\n")
        #expect(JournalError(.locked(pid: 7), path: "lock").exitStatus == .inUse)
        #expect(JournalError(.io("disk full"), path: "j").exitStatus == .ioError)
        #expect(
            JournalError(.platformMismatch(recorded: "local", current: "rescale"), path: "j").exitStatus
                == .invalidInput
        )
    }

    @Test func everyModuleErrorRendersExactlyOneErrorAndOneHelpLine() {
        let errors: [any UserFacingError] = [
            JournalError(.locked(pid: 42), path: "/r/lock"),
            PlatformError(.unauthorized("invalid api key")),
            ConfigurationError(.missingKey(profile: "default", keyFile: "/c/default.key")),
            DiagnosticsError(
                .error(
                    "unknown stage 'zipp'",
                    help: "use one of: tar",
                    at: SourceLocation(file: "w.yaml", line: 2, column: 5)
                )
            ),
        ]
        for error in errors {
            let lines = ErrorReport.render(error).split(separator: "\n")
            #expect(lines.filter { $0.contains("error: ") }.count == 1, "\(lines)")
            #expect(lines.filter { $0.hasPrefix("  help: ") }.count == 1, "\(lines)")
        }
        #expect(PlatformError(.transport("reset")).exitStatus == .unavailable)
        #expect(ConfigurationError(.hostNotAllowed("evil.example.com")).exitStatus == .configuration)
        #expect(DiagnosticsError(.error("x")).exitStatus == .invalidInput)
    }

    @Test func helpTextListsTheStatusesAscendingWithTheirMeaning() {
        let text = InterlinkCore.ExitStatus.helpText([.inUse, .success, .usage, .usage])
        #expect(
            text == """
                Exit codes:
                  0    \(InterlinkCore.ExitStatus.success.meaning)
                  64   \(InterlinkCore.ExitStatus.usage.meaning)
                  75   \(InterlinkCore.ExitStatus.inUse.meaning)
                """
        )
    }

    /// The README's exit-code table is the enum: every code with its meaning, and no other code.
    @Test func readmeExitCodeTableMatchesTheEnum() throws {
        let readme = try String(
            contentsOf: RunWorkspace.repository.appendingPathComponent("README.md"),
            encoding: .utf8
        )
        let rows = readme.split(separator: "\n").compactMap { line -> (Int32, String)? in
            guard let match = line.wholeMatch(of: /\| (\d+) +\| (.+?) +\|.*/) else { return nil }
            return Int32(match.1).map { ($0, String(match.2)) }
        }
        #expect(rows.map(\.0) == InterlinkCore.ExitStatus.allCases.map(\.rawValue))
        for (code, meaning) in rows {
            #expect(InterlinkCore.ExitStatus(rawValue: code)?.meaning == meaning.replacing("`", with: "'"), "\(code)")
        }
    }

    @Test func everyLeafCommandListsItsExitCodesInItsHelp() {
        let helps: [CommandConfiguration] = [
            ValidateCommand.configuration, PlanCommand.configuration, RunCommand.configuration,
            ResumeCommand.configuration, StatusCommand.configuration, RunsCommand.configuration,
            MakeDirsCSVCommand.configuration, ScanFilesCommand.configuration, PURPlanCommand.configuration,
            PURRunCommand.configuration, PURResumeCommand.configuration, ExportStateCommand.configuration,
            ConfigInitCommand.configuration, ConfigShowCommand.configuration, ConfigTestCommand.configuration,
        ]
        for configuration in helps {
            #expect(
                configuration.discussion.contains("Exit codes:\n  0    success\n"),
                "\(configuration.commandName ?? "")"
            )
            #expect(
                configuration.discussion.contains("\n  64   usage error"),
                "\(configuration.commandName ?? "")"
            )
        }
        #expect(
            ConfigShowCommand.configuration.discussion.contains(
                "  78   \(InterlinkCore.ExitStatus.configuration.meaning)"
            )
        )
        #expect(
            RunCommand.configuration.discussion.contains(
                InterlinkCore.ExitStatus.helpText(InterlinkCore.ExitStatus.allCases)
            )
        )
    }
}

@Suite struct LoggingOptionsTests {
    @Test func takesTheLoggingFlagsOutOfAnyPositionUntilDoubleDash() throws {
        let (options, remaining) = try LoggingOptions.extract(
            from: ["run", "-v", "w.yaml", "--log-file", "/tmp/x.log", "--quiet", "--", "-v"]
        )
        #expect(options == LoggingOptions(verbose: true, logFile: "/tmp/x.log"))
        #expect(remaining == ["run", "w.yaml", "--quiet", "--", "-v"])
        let (equals, rest) = try LoggingOptions.extract(from: ["--log-file=a.log", "--verbose", "status"])
        #expect(equals == LoggingOptions(verbose: true, logFile: "a.log"))
        #expect(rest == ["status"])
        let (none, all) = try LoggingOptions.extract(from: ["validate", "w.yaml"])
        #expect(none == LoggingOptions())
        #expect(all == ["validate", "w.yaml"])
        let missing = #expect(throws: CommandFailure.self) { try LoggingOptions.extract(from: ["run", "--log-file"]) }
        #expect(missing?.exitStatus == .usage)
    }

    @Test func fileLinesCarryTheTaskContextAndTheFileIsPrivate() async throws {
        let path = NSTemporaryDirectory() + "interlink-log-\(UUID().uuidString).log"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let sink = try LogSink(appendingTo: path)
        let provider = Logger.MetadataProvider { LogContext.current.metadata.mapValues { .string($0) } }
        let options = LoggingOptions(verbose: false, logFile: path)
        let logger = Logger(label: "test") { label in
            options.makeHandler(label: label, metadataProvider: provider, file: sink)
        }
        #expect(logger.logLevel == .debug)
        let context = LogContext(runID: "r-1", jobName: "solve", stage: "upload", attempt: 2)
        LogContext.$current.withValue(context) {
            logger.debug("storage.retry", metadata: ["storage.attempt": "1"])
        }
        logger.trace("never written")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(
            text.hasSuffix(
                " debug test: storage.retry attempt=2 job.name=solve run.id=r-1 stage=upload storage.attempt=1\n"
            ),
            "\(text)"
        )
        #expect(text.split(separator: "\n").count == 1)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func aLogFileThatCannotBeOpenedIsAnIOError() {
        let failure = #expect(throws: CommandFailure.self) { try LogSink(appendingTo: "/nonexistent-dir/x.log") }
        #expect(failure?.exitStatus == .ioError)
    }
}

import InterlinkCLI

/// The `rescale-int` executable.
@main
enum RescaleInt {
    /// Sets up logging once for the process (from `-v`, `--debug` and `--log-file`), then runs the command with the
    /// global connection flags and config.csv resolved.
    static func main() async {
        let remaining: [String]
        do {
            let (logging, arguments) = try LoggingOptions.extract(from: Array(CommandLine.arguments.dropFirst()))
            try logging.bootstrap()
            remaining = arguments
        } catch {
            InterlinkCommand.exit(withError: ErrorReport.report(error))
        }
        await CommandContext.execute(remaining)
    }
}

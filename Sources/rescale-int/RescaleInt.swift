import InterlinkCLI

/// The `rescale-int` executable.
@main
enum RescaleInt {
    /// Sets up logging once for the process (from `-v` and `--log-file`), then runs the command.
    static func main() async {
        let remaining: [String]
        do {
            let (logging, arguments) = try LoggingOptions.extract(from: Array(CommandLine.arguments.dropFirst()))
            try logging.bootstrap()
            remaining = arguments
        } catch {
            InterlinkCommand.exit(withError: ErrorReport.report(error))
        }
        await InterlinkCommand.execute(remaining)
    }
}

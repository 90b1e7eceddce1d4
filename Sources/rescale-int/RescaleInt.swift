import CSystemCodecs
import InterlinkCLI

/// The `rescale-int` executable.
@main
enum RescaleInt {
    /// Sets up logging once for the process (from `-v`, `--debug` and `--log-file`), then runs the command with the
    /// global connection flags and config.csv resolved.
    static func main() async {
        // A fixed mmap threshold: glibc otherwise raises it to the size of each large block freed (up to 32 MiB),
        // so the 1 MiB chunk and 16 MiB part buffers of every upload and stored output came from the heap arenas
        // afterwards and fragmented them: 3,000 local jobs peaked at 123 MiB, 92 MiB with the threshold fixed.
        _ = il_fix_mmap_threshold(128 << 10)
        // (The malloc arenas are capped at the core count before main runs: CSystemCodecs' memory.c.)
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

import CSystemCodecs
import Foundation
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
        // As many arenas as cores (2 to 8), not glibc's 8 per core: every thread that allocates while the others'
        // arenas are busy gets one and keeps it at its peak; 10,000 local jobs peaked at 200 MiB with 16 arenas on
        // 2 cores, 155 MiB with 2.
        _ = il_limit_malloc_arenas(Int32(min(max(ProcessInfo.processInfo.activeProcessorCount, 2), 8)))
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

import Foundation
import InterlinkCore
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The global logging flags, `-v`/`--verbose` and `--log-file PATH`, which every command accepts anywhere on
/// its command line.
///
/// They are taken out of the arguments before ArgumentParser sees them, because logging is set up once, before
/// any command runs.
package struct LoggingOptions: Hashable, Sendable {
    /// Show debug lines on stderr (without it, notice and above only).
    package var verbose = false
    /// A file to append every debug line to (created with mode 600).
    package var logFile: String?
    /// Show trace lines too (every API call), on stderr and in the log file.
    package var debug = false

    /// Creates options.
    package init(verbose: Bool = false, logFile: String? = nil) {
        self.verbose = verbose
        self.logFile = logFile
    }

    /// The lines `rescale-int --help` shows for the global flags.
    package static let helpText = """
        Logging (any command): -v/--verbose shows debug lines on stderr (else notice and above only), --debug \
        trace lines too; \
        --log-file PATH also appends every debug line to PATH (created with mode 600). Neither ever shows the \
        API key or storage credentials.
        """

    /// Splits the logging flags from the rest of a command line; `--` ends the search.
    ///
    /// - Parameter arguments: The command line without the program name.
    /// - Returns: The logging options and the arguments for ArgumentParser.
    /// - Throws: ``CommandFailure`` (64) when `--log-file` has no value.
    package static func extract(from arguments: [String]) throws(CommandFailure) -> (
        options: LoggingOptions, remaining: [String]
    ) {
        var options = LoggingOptions()
        var remaining: [String] = []
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            index += 1
            switch argument {
            case "--":
                remaining.append(contentsOf: arguments[(index - 1)...])
                return (options, remaining)
            case "-v", "--verbose":
                options.verbose = true
            case "--debug":
                options.verbose = true
                options.debug = true
            case "--log-file":
                guard index < arguments.endIndex, !arguments[index].isEmpty else {
                    throw .usage("missing value for '--log-file'", help: "give the log file's path: --log-file PATH")
                }
                options.logFile = arguments[index]
                index += 1
            case _ where argument.hasPrefix("--log-file="):
                let value = String(argument.dropFirst("--log-file=".count))
                guard !value.isEmpty else {
                    throw .usage("missing value for '--log-file'", help: "give the log file's path: --log-file PATH")
                }
                options.logFile = value
            default:
                remaining.append(argument)
            }
        }
        return (options, remaining)
    }

    /// The log handler these options ask for: stderr at notice (debug with `--verbose`), and the log file at
    /// debug.
    ///
    /// - Parameters:
    ///   - label: The logger's label.
    ///   - metadataProvider: Adds the task's ``LogContext`` to each line.
    ///   - file: The open log file, if any.
    /// - Returns: The handler.
    package func makeHandler(label: String, metadataProvider: Logger.MetadataProvider?, file: LogSink?)
        -> any LogHandler
    {
        var console = LineLogHandler(label: label, sink: .standardError, metadataProvider: metadataProvider)
        console.logLevel = debug ? .trace : verbose ? .debug : .notice
        guard let file else { return console }
        var fileHandler = LineLogHandler(label: label, sink: file, metadataProvider: metadataProvider)
        fileHandler.logLevel = debug ? .trace : .debug
        return MultiplexLogHandler([console, fileHandler])
    }

    /// Bootstraps swift-log for the process: call once, from `rescale-int`'s `main`, never from tests.
    ///
    /// - Throws: ``CommandFailure`` (74) when the log file cannot be opened.
    package func bootstrap() throws(CommandFailure) {
        ProcessRedactor.addKnownSecrets(from: ProcessInfo.processInfo.environment)
        let file = try logFile.map { path throws(CommandFailure) in try LogSink(appendingTo: path) }
        let provider = Logger.MetadataProvider { LogContext.current.metadata.mapValues { .string($0) } }
        LoggingSystem.bootstrap(
            { label, provider in makeHandler(label: label, metadataProvider: provider, file: file) },
            metadataProvider: provider
        )
    }
}

/// Where log lines go: a file descriptor, written one whole line per `write`.
package final class LogSink: Sendable {
    private let descriptor: Int32
    private let ownsDescriptor: Bool

    /// Standard error.
    package static let standardError = LogSink(descriptor: STDERR_FILENO, ownsDescriptor: false)

    private init(descriptor: Int32, ownsDescriptor: Bool) {
        self.descriptor = descriptor
        self.ownsDescriptor = ownsDescriptor
    }

    /// Opens a log file for appending, creating it with mode 600 (only its owner can read what was logged).
    ///
    /// - Parameter path: The file.
    /// - Throws: ``CommandFailure`` (74) when it cannot be opened.
    package init(appendingTo path: String) throws(CommandFailure) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw CommandFailure(
                [
                    .error(
                        "cannot open the log file '\(path)': \(String(cString: strerror(errno)))",
                        help: "give --log-file a path in a directory you can write"
                    )
                ],
                status: .ioError
            )
        }
        self.descriptor = descriptor
        self.ownsDescriptor = true
    }

    deinit { if ownsDescriptor { close(descriptor) } }

    /// Writes one line (with `O_APPEND`, each line lands whole even when several threads log at once), with every
    /// known secret masked (``ProcessRedactor``).
    package func append(_ line: String) {
        var bytes = Array(ProcessRedactor.redact(line).utf8)
        bytes.append(UInt8(ascii: "\n"))
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            guard written > 0 else { return }
            offset += written
        }
    }
}

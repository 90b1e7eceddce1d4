import Foundation
import InterlinkTestSupport
import Testing

/// Runs the built `rescale-int` binary as a subprocess, the way users do.
struct CLIProcess {
    /// What a finished process left.
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        /// Whether a signal ended it.
        var wasSignalled: Bool
        /// When its output ended, seen off the cooperative pool (``ChildProcess/Output/outputEnded``).
        var outputEnded: ContinuousClock.Instant
    }

    /// The binary beside the test bundle (`swift build --build-tests` builds both into the same directory).
    static var binary: String {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("rescale-int").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return ".build/debug/rescale-int"
    }

    let process = Process()
    private let stdoutPipe = Pipe()
    private let stderrPipe = Pipe()

    /// Starts `rescale-int arguments…` in `directory` with extra environment variables.
    init(_ arguments: [String], in directory: String, environment: [String: String] = [:]) throws {
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ProcessInfo.processInfo.environment
        // The run index goes to a shared test directory, never the user's own state directory.
        env["INTERLINK_STATE_DIR"] = NSTemporaryDirectory() + "interlink-test-state"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    /// Sends a signal.
    func send(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Waits for the end and collects the output, off the cooperative pool (see ``ChildProcess``).
    func wait() async -> Result {
        let output = await ChildProcess.collect(process, stdout: stdoutPipe, stderr: stderrPipe)
        return Result(
            status: output.status,
            stdout: output.stdoutText,
            stderr: output.stderrText,
            wasSignalled: output.wasSignalled,
            outputEnded: output.outputEnded
        )
    }

    /// Runs to the end.
    static func run(_ arguments: [String], in directory: String, environment: [String: String] = [:]) async throws
        -> Result
    {
        try await CLIProcess(arguments, in: directory, environment: environment).wait()
    }
}

/// A unique temporary directory holding `files` (relative path → contents).
func makeWorkspace(_ files: [String: String], label: String = "cli") throws -> String {
    let root = NSTemporaryDirectory() + "interlink-\(label)-\(UUID().uuidString)"
    for (path, contents) in files {
        let full = root + "/" + path
        try FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true
        )
        try contents.write(toFile: full, atomically: true, encoding: .utf8)
    }
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    return root
}

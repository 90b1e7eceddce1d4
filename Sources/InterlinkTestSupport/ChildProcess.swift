import Foundation
import InterlinkSystem

/// Waits for child processes without blocking Swift's cooperative thread pool.
///
/// Reading a pipe to its end and waiting for an exit block the calling thread. The cooperative pool has one
/// thread per core (two in CI), so a test that blocks one starves every other test running in parallel: deadlines
/// are missed and timing assertions fail for no fault of the code under test. Each blocking call here runs on a
/// thread of its own while the awaiting task is suspended.
package enum ChildProcess {
    /// What a finished process left.
    package struct Output: Sendable {
        /// The exit status, or the signal number when a signal ended it.
        package var status: Int32
        /// Everything it wrote to standard output.
        package var stdout: Data
        /// Everything it wrote to standard error.
        package var stderr: Data
        /// Whether a signal ended it.
        package var wasSignalled: Bool
        /// When its output ended (both pipes closed: it exited), seen on the reading threads.
        ///
        /// A timing measured to here does not include the wait for a cooperative thread to resume the awaiting
        /// test, which CPU-heavy tests running beside it can hold for seconds on 2 cores.
        package var outputEnded: ContinuousClock.Instant

        /// Standard output as UTF-8 text.
        package var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
        /// Standard error as UTF-8 text.
        package var stderrText: String { String(decoding: stderr, as: UTF8.self) }
    }

    /// Runs blocking work on a dedicated thread and returns its result; the caller awaits it, so the work never
    /// outlives the calling task.
    package static func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await Blocking.onOwnThread(work)
    }

    /// Reads a pipe until its writers close it.
    package static func readToEnd(_ pipe: Pipe) async -> Data {
        let handle = pipe.fileHandleForReading
        return await offPool { handle.readDataToEndOfFile() }
    }

    /// Waits until a started process exits.
    package static func waitForExit(_ process: Process) async {
        await offPool { ProcessExit.wait(process) }
    }

    /// Drains both pipes concurrently (so a full pipe cannot deadlock the child), then waits for the exit.
    package static func collect(_ process: Process, stdout: Pipe, stderr: Pipe) async -> Output {
        async let out = readToEndTimed(stdout)
        async let err = readToEndTimed(stderr)
        let (stdoutRead, stderrRead) = await (out, err)
        await waitForExit(process)
        return Output(
            status: process.terminationStatus,
            stdout: stdoutRead.data,
            stderr: stderrRead.data,
            wasSignalled: process.terminationReason == .uncaughtSignal,
            outputEnded: max(stdoutRead.ended, stderrRead.ended)
        )
    }

    /// Reads a pipe until its writers close it, and when that was, on the reading thread.
    private static func readToEndTimed(_ pipe: Pipe) async -> (data: Data, ended: ContinuousClock.Instant) {
        let handle = pipe.fileHandleForReading
        return await offPool { (handle.readDataToEndOfFile(), ContinuousClock.now) }
    }

    /// Starts `executable arguments…`, writes `input` (or the file at `inputFile`) to its standard input, and
    /// collects its output.
    ///
    /// - Throws: When the process cannot be started.
    package static func run(
        _ executable: String,
        _ arguments: [String],
        input: Data? = nil,
        inputFile: String? = nil,
        environment: [String: String]? = nil,
        directory: String? = nil
    ) async throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        let stdin = input.map { _ in Pipe() }
        if let inputFile {
            process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: inputFile))
        } else {
            process.standardInput = stdin ?? FileHandle.nullDevice
        }
        try process.run()
        // Feed standard input while draining the outputs, so neither side can fill a pipe and stall the other.
        async let fed: Void = feed(stdin, input)
        let output = await collect(process, stdout: stdout, stderr: stderr)
        await fed
        return output
    }

    private static func feed(_ pipe: Pipe?, _ input: Data?) async {
        guard let pipe, let input else { return }
        let writer = pipe.fileHandleForWriting
        await offPool {
            writer.write(input)
            try? writer.close()
        }
    }
}

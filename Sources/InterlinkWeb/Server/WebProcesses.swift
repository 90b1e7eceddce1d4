import Foundation
import InterlinkCore
import InterlinkEngine
import InterlinkSystem
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `rescale-int` commands the UI starts: the same binary, with the same arguments a user would type.
///
/// Runs, resumes and stops go through the CLI's own commands (`run --json`, `resume --json`, `stop`), so the UI
/// has no second code path to a stage: the engine, journal, lock and signal handling are the CLI's. Each long
/// command runs in the server's task group (``serve()``); its stdout `--json` events and stderr lines are published
/// on the event bus as they come. At shutdown every command still running gets SIGINT, as Ctrl-C would send it.
package final class WebProcesses: Sendable {
    /// One started command.
    package struct Command: Sendable, Codable, Hashable {
        /// The UI's number for it.
        package var id: Int
        /// Its arguments after the program name.
        package var arguments: [String]
        /// Its process id once started.
        package var pid: Int32?
        /// Its exit status once ended (128 + n for signal n).
        package var status: Int32?
    }

    /// What a short command left.
    package struct Output: Sendable {
        /// The exit status (128 + n for signal n).
        package var status: Int32
        /// Its standard output.
        package var stdout: String
        /// Its standard error.
        package var stderr: String
    }

    /// The most long commands running at once.
    package static let limit = 8
    /// The most short commands running at once; more wait their turn (a page that asks for many plans at once
    /// starts at most this many processes).
    package static let shortLimit = 4

    /// The `rescale-int` executable.
    package let executable: String
    /// The environment commands get (the CLI's, with the global flags applied).
    package let environment: [String: String]
    /// The working directory of every command.
    package let directory: String
    /// Arguments every command gets before its own: the global flags the CLI's environment cannot carry
    /// (`-c FILE`, so a child reads the same config.csv as the server).
    package let leadingArguments: [String]
    private let shortCommands = ResourcePool(limit: WebProcesses.shortLimit)
    private let events: WebEventBus
    private let launches: AsyncStream<Command>
    private let launcher: AsyncStream<Command>.Continuation
    private let commands = Mutex<(next: Int, all: [Int: Command])>((1, [:]))

    /// Creates a launcher.
    ///
    /// - Parameters:
    ///   - executable: The `rescale-int` binary.
    ///   - environment: The environment commands get.
    ///   - directory: Their working directory.
    ///   - leadingArguments: Arguments every command gets before its own (global flags such as `-c FILE`).
    ///   - events: Where their output is published.
    package init(
        executable: String,
        environment: [String: String],
        directory: String,
        leadingArguments: [String] = [],
        events: WebEventBus
    ) {
        self.executable = executable
        self.environment = environment
        self.directory = directory
        self.leadingArguments = leadingArguments
        self.events = events
        (launches, launcher) = AsyncStream.makeStream(of: Command.self)
    }

    /// Queues a long command (a run, a resume) to start in the server's task group.
    ///
    /// - Parameter arguments: Its arguments after the program name.
    /// - Returns: The command, not yet started.
    /// - Throws: ``WebError`` (409) when ``limit`` commands are already running.
    package func start(_ arguments: [String]) throws -> Command {
        let command = try commands.withLock { state throws(WebError) -> Command in
            guard state.all.values.filter({ $0.status == nil }).count < Self.limit else {
                throw WebError(.conflict("\(Self.limit) commands are already running; wait for one to end"))
            }
            let command = Command(id: state.next, arguments: arguments)
            state.next += 1
            state.all[command.id] = command
            return command
        }
        launcher.yield(command)
        return command
    }

    /// The commands started so far, newest first.
    package var all: [Command] {
        commands.withLock { $0.all.values.sorted { $0.id > $1.id } }
    }

    /// Runs the queued commands until the task is cancelled; cancelling interrupts those still running.
    package func serve() async {
        await withDiscardingTaskGroup { group in
            for await command in launches {
                group.addTask { await self.execute(command) }
            }
        }
    }

    /// Stops accepting commands; ``serve()`` returns once the running ones end.
    package func finish() { launcher.finish() }

    /// The flags that make a child read the config.csv the server read.
    ///
    /// That is `-c FILE` with the path made absolute (children run in the study directory). `--api-url`, `--api-key` and `--token-file` reach a child through
    /// the environment the CLI builds, so only `-c` goes on the command line.
    ///
    /// - Parameters:
    ///   - configFile: The server's `-c` value, if any.
    ///   - current: The directory a relative path is relative to.
    /// - Returns: The arguments to put before each command's own.
    package static func configArguments(_ configFile: String?, current: String) -> [String] {
        guard let configFile else { return [] }
        return ["-c", PathName.normalize(PathName.resolve(configFile, against: current))]
    }

    /// The most short commands that ever ran at once (for tests of the bound).
    package var shortCommandsPeak: Int { shortCommands.peakUse }

    /// Runs a short command (plan, validate, stop) to its end and collects its output (each stream capped at
    /// 16 MiB); at most ``shortLimit`` run at once, the others wait in order.
    ///
    /// - Parameter arguments: Its arguments after the program name.
    /// - Returns: Its output.
    /// - Throws: ``WebError`` when it cannot be started; `CancellationError` when cancelled while waiting.
    package func run(_ arguments: [String]) async throws -> Output {
        try await shortCommands.withPermit { try await runNow(arguments) }
    }

    private func runNow(_ arguments: [String]) async throws -> Output {
        let (process, stdout, stderr) = try makeProcess(arguments)
        let pid = process.processIdentifier
        return await withTaskCancellationHandler {
            async let out = Self.read(stdout.fileHandleForReading) { _ in }
            async let err = Self.read(stderr.fileHandleForReading) { _ in }
            let (outText, errText) = await (out, err)
            let status = await Self.wait(process)
            return Output(status: status, stdout: outText, stderr: errText)
        } onCancel: {
            _ = kill(pid, SIGINT)
        }
    }

    private func execute(_ command: Command) async {
        let process: Process
        let stdout: Pipe
        let stderr: Pipe
        do {
            (process, stdout, stderr) = try makeProcess(command.arguments)
        } catch {
            update(command.id) { $0.status = 127 }
            events.publish(WebEvent(source: "ui", level: "error", text: "\(error)"))
            return
        }
        let pid = process.processIdentifier
        update(command.id) { $0.pid = pid }
        events.publish(
            WebEvent(source: "ui", text: "started rescale-int \(command.arguments.joined(separator: " ")) (pid \(pid))")
        )
        let events = self.events
        let status = await withTaskCancellationHandler {
            async let out: String = Self.read(stdout.fileHandleForReading) { line in
                events.publish(WebEvent.parsing(line, source: "event", run: nil))
            }
            async let err: String = Self.read(stderr.fileHandleForReading) { line in
                events.publish(WebEvent(source: "log", level: WebEvent.level(ofLogLine: line), text: line))
            }
            _ = await (out, err)
            return await Self.wait(process)
        } onCancel: {
            _ = kill(pid, SIGINT)
        }
        update(command.id) { $0.status = status }
        events.publish(
            WebEvent(
                source: "ui",
                level: status == 0 ? "info" : "warning",
                text: "rescale-int \(command.arguments.first ?? "") (pid \(pid)) exited with status \(status)"
            )
        )
    }

    private func update(_ id: Int, _ change: (inout Command) -> Void) {
        commands.withLock { state in
            if var command = state.all[id] {
                change(&command)
                state.all[id] = command
            }
        }
    }

    private func makeProcess(_ arguments: [String]) throws(WebError) -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = leadingArguments + arguments
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw WebError(.failed("could not start '\(executable)': \(error)", platform: false))
        }
        return (process, stdout, stderr)
    }

    /// Reads a pipe to its end on a thread of its own, handing each line to `line`; returns the text (capped at
    /// 16 MiB).
    private static func read(_ handle: FileHandle, line: @escaping @Sendable (String) -> Void) async -> String {
        await Blocking.onOwnThread {
            var all = Data()
            var pending = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                if all.count < 16 << 20 { all.append(chunk) }
                pending.append(chunk)
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    let text = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                    pending.removeSubrange(pending.startIndex...newline)
                    if !text.isEmpty { line(text) }
                }
                if pending.count > 1 << 20 { pending.removeAll() }
            }
            if !pending.isEmpty { line(String(decoding: pending, as: UTF8.self)) }
            return String(decoding: all, as: UTF8.self)
        }
    }

    /// Waits for the process on a thread of its own; 128 + n when signal n ended it.
    private static func wait(_ process: Process) async -> Int32 {
        await Blocking.onOwnThread {
            ProcessExit.wait(process)
            return process.terminationReason == .uncaughtSignal
                ? 128 + process.terminationStatus : process.terminationStatus
        }
    }
}

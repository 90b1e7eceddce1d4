import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a command-line tool (`sbatch`, `squeue`, …) with an argument array, no shell, and captures what it prints.
///
/// Pipes are drained and the exit is reaped on threads of their own (``Blocking/onOwnThread(_:)``), never on the
/// cooperative pool. The tool is killed (SIGKILL) at its deadline and when the awaiting task is cancelled.
package enum ToolProcess {
    /// What a finished tool left.
    package struct Output: Hashable, Sendable {
        /// The exit status, or the signal number when ``wasSignalled``.
        package var status: Int32
        /// Whether a signal ended it (its deadline, a cancellation, or something else).
        package var wasSignalled: Bool
        /// Standard output, cut at the capture limit.
        package var stdout: String
        /// Standard error, cut at the capture limit.
        package var stderr: String

        /// Whether it exited with status 0.
        package var succeeded: Bool { !wasSignalled && status == 0 }

        /// Creates an output.
        package init(status: Int32, wasSignalled: Bool, stdout: String, stderr: String) {
            self.status = status
            self.wasSignalled = wasSignalled
            self.stdout = stdout
            self.stderr = stderr
        }
    }

    /// The executable a name stands for: the name itself when it contains a `/`, else the first executable file
    /// of that name in the `PATH` given.
    ///
    /// - Parameters:
    ///   - name: A tool name (`sbatch`) or a path.
    ///   - path: The search path (`PATH`'s value); nil or empty finds nothing.
    /// - Returns: The executable's path, or nil when there is none.
    package static func locate(_ name: String, path: String?) -> String? {
        if name.contains("/") { return access(name, X_OK) == 0 ? name : nil }
        for directory in (path ?? "").split(separator: ":") where !directory.isEmpty {
            let candidate = directory + "/" + name
            var info = stat()
            if stat(candidate, &info) == 0, info.st_mode & S_IFMT == S_IFREG, access(candidate, X_OK) == 0 {
                return candidate
            }
        }
        return nil
    }

    /// Runs `executable arguments…` to its end with stdin from `/dev/null`.
    ///
    /// - Parameters:
    ///   - executable: The tool's path (see ``locate(_:path:)``).
    ///   - arguments: The arguments, without the tool's name.
    ///   - environment: The complete environment.
    ///   - timeout: How long it may run before it is killed.
    ///   - outputLimit: The most bytes kept of each of stdout and stderr (the rest is read and dropped).
    /// - Returns: How it ended and what it printed.
    /// - Throws: ``SystemError`` when it cannot be started; `CancellationError` after killing it when the task
    ///   was cancelled.
    package static func run(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String],
        timeout: Duration,
        outputLimit: Int = 16 << 20
    ) async throws -> Output {
        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        guard pipe(&outPipe) == 0 else {
            throw SystemError(path: executable, operation: "make a pipe for", code: errno)
        }
        guard pipe(&errPipe) == 0 else {
            let code = errno
            _ = POSIX.close(outPipe[0])
            _ = POSIX.close(outPipe[1])
            throw SystemError(path: executable, operation: "make a pipe for", code: code)
        }
        for descriptor in outPipe + errPipe { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        let pid: pid_t
        do {
            pid = try spawn(executable, arguments, environment: environment, stdout: outPipe[1], stderr: errPipe[1])
        } catch {
            for descriptor in outPipe + errPipe { _ = POSIX.close(descriptor) }
            throw error
        }
        _ = POSIX.close(outPipe[1])
        _ = POSIX.close(errPipe[1])
        let (readOut, readErr) = (outPipe[0], errPipe[0])
        let ended = ExitLatch()
        let termination = await withTaskCancellationHandler {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    // The deadline: ends early once the tool has exited (the group is cancelled below).
                    guard (try? await Task.sleep(for: timeout)) != nil, !ended.isSet else { return }
                    _ = kill(pid, SIGKILL)
                }
                async let out = Blocking.onOwnThread { drain(readOut, limit: outputLimit) }
                async let err = Blocking.onOwnThread { drain(readErr, limit: outputLimit) }
                let status = await Blocking.onOwnThread { reap(pid) }
                ended.set()
                group.cancelAll()
                return (status, await out, await err)
            }
        } onCancel: {
            if !ended.isSet { _ = kill(pid, SIGKILL) }
        }
        try Task.checkCancellation()
        let (status, stdout, stderr) = termination
        let low = status & 0x7f
        return Output(
            status: low == 0 ? (status >> 8) & 0xff : low,
            wasSignalled: low != 0,
            stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self)
        )
    }

    private static func spawn(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String],
        stdout: Int32,
        stderr: Int32
    ) throws(SystemError) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)
        _ = SpawnExtensions.closeFrom?(&actions, 3)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGQUIT] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let words = [executable] + arguments
        let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) }
        let envp: [UnsafeMutablePointer<CChar>?] = environment.sorted { $0.key < $1.key }.map {
            strdup("\($0.key)=\($0.value)")
        }
        defer { for pointer in argv + envp { free(pointer) } }
        var pid = pid_t()
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv + [nil], envp + [nil])
        guard status == 0 else { throw SystemError(path: executable, operation: "start", code: status) }
        return pid
    }

    /// Reads a pipe to its end, keeping the first `limit` bytes; closes it.
    private static func drain(_ descriptor: Int32, limit: Int) -> [UInt8] {
        defer { _ = POSIX.close(descriptor) }
        var kept: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { POSIX.read(descriptor, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            if kept.count < limit { kept += buffer[0..<min(count, limit - kept.count)] }
        }
        return kept
    }

    /// Waits for the process and returns its raw wait status (SIGKILL's when it was reaped elsewhere).
    private static func reap(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        var result = waitpid(pid, &status, 0)
        while result < 0, errno == EINTR { result = waitpid(pid, &status, 0) }
        return result == pid ? status : SIGKILL
    }
}

/// A flag set once, read from any thread: whether a tool has exited (so its deadline and a late cancellation
/// leave its reused pid alone).
final class ExitLatch: Sendable {
    private let value = Mutex(false)

    /// Whether ``set()`` was called.
    var isSet: Bool { value.withLock { $0 } }

    /// Sets the flag.
    func set() { value.withLock { $0 = true } }
}

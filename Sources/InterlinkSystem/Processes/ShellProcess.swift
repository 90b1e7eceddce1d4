#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A `/bin/bash -c` process started in its own session and process group, with stdin from `/dev/null` and stdout
/// and stderr appended to one log file.
///
/// The group lets the executor signal the command and everything it started (background jobs, pipelines) at
/// once; the session keeps it alive when its starter dies. The process is reaped only through ``waitForExit()``.
///
/// With a control file, the process is a supervising `/bin/bash` that writes its pid as the file's first line,
/// runs the command in a forked subshell (`( eval ... )`: one exec'd shell per job, the fork of a running shell
/// costing far less than starting a second one), and appends the command's exit status (as the shell reports it:
/// 128 + n for signal n) as the second line before exiting with it, so the status survives the starter's death.
/// One file, not a directory of two: a job's process record costs one inode (earlier versions' `<dir>/pid` and
/// `<dir>/status` are still read).
/// The supervisor defers SIGTERM, SIGINT and SIGHUP until the command has ended; SIGKILL ends both without a status.
/// The subshell runs the command as `/bin/bash -c` would: `$0` is `/bin/bash`, no positional parameters, none of
/// the supervisor's variables, the signals' default actions, and `exit` ends only the subshell.
package struct ShellProcess: Sendable {
    /// How a process ended.
    package enum Termination: Hashable, Sendable {
        /// It exited with this status.
        case exited(Int32)
        /// A signal ended it.
        case signalled(Int32)
    }

    /// The process id, which is also its process group id.
    package let pid: pid_t

    /// Starts the command.
    ///
    /// - Parameters:
    ///   - command: The shell text.
    ///   - environment: The complete environment.
    ///   - directory: The working directory.
    ///   - logPath: The file stdout and stderr are appended to (created when missing).
    ///   - controlFile: The supervisor's record (its pid, then the exit status), created or replaced in an
    ///     existing directory; nil runs the command without a supervisor.
    /// - Returns: The running process.
    /// - Throws: ``SystemError`` when the process cannot be started.
    package static func start(
        command: String,
        environment: [String: String],
        directory: String,
        logPath: String,
        controlFile: String? = nil
    ) throws(SystemError) -> ShellProcess {
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        guard let changeDirectory = SpawnExtensions.changeDirectory else {
            // The C library lacks posix_spawn_file_actions_addchdir_np (glibc < 2.29).
            throw SystemError(path: "/bin/bash", operation: "start a job in '\(directory)' with", code: ENOSYS)
        }
        _ = changeDirectory(&actions, directory)
        _ = SpawnExtensions.closeFrom?(&actions, 3)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGQUIT] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        #if os(Linux)
        // POSIX_SPAWN_SETSID (glibc 2.26), which Swift does not import: a new session is also a new process group.
        let flags = 0x80 | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
        #else
        posix_spawnattr_setpgroup(&attributes, 0)
        let flags = POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
        #endif
        posix_spawnattr_setflags(&attributes, Int16(flags))
        let shell = "/bin/bash"
        let words: [String] =
            if let controlFile {
                [shell, "-c", supervisorScript, shell, command, controlFile]
            } else {
                [shell, "-c", command]
            }
        let arguments: [UnsafeMutablePointer<CChar>?] = words.map { (word: String) in strdup(word) }
        let variables: [UnsafeMutablePointer<CChar>?] = environment.sorted { $0.key < $1.key }.map {
            (pair: (key: String, value: String)) in strdup("\(pair.key)=\(pair.value)")
        }
        defer { for pointer in arguments + variables { free(pointer) } }
        var pid = pid_t()
        let status = posix_spawn(&pid, shell, &actions, &attributes, arguments + [nil], variables + [nil])
        guard status == 0 else { throw SystemError(path: shell, operation: "start", code: status) }
        return ShellProcess(pid: pid)
    }

    /// Waits for the process to end and reaps it, blocking a thread of its own (never the cooperative pool).
    ///
    /// - Returns: How it ended; `.signalled(SIGKILL)` when it was already reaped elsewhere (`ECHILD`), so callers
    ///   do not wait forever.
    package func waitForExit() async -> Termination {
        let pid = pid
        return await Blocking.onOwnThread {
            var status: Int32 = 0
            var result = waitpid(pid, &status, 0)
            while result < 0, errno == EINTR { result = waitpid(pid, &status, 0) }
            guard result == pid else { return .signalled(SIGKILL) }
            let low = status & 0x7f
            return low == 0 ? .exited((status >> 8) & 0xff) : .signalled(low)
        }
    }

    /// The supervising shell: `$1` is the command, `$2` the control file.
    ///
    /// A trapped signal waits for the foreground subshell (bash runs traps after it ends), while the subshell and
    /// the command, in the same group and with the signals' default actions, get the signal. The command's text
    /// is expanded into the `eval` string before the subshell clears the positional parameters, so no supervisor
    /// variable holds it. Each line is one `write`, the status appended (`O_APPEND`) after the pid.
    static let supervisorScript = """
        printf '%s\\n' "$$" >"$2"
        trap 'interlink_stopping=1' TERM INT HUP
        (eval "set --; $1")
        interlink_status=$?
        printf '%s\\n' "$interlink_status" >>"$2"
        exit "$interlink_status"
        """

    /// The exit status a supervisor recorded in its control file, as a termination; nil when there is none yet
    /// (or the supervisor was killed before it could write one).
    ///
    /// The shell reports a command ended by signal n as 128 + n, read back here as `.signalled(n)`.
    ///
    /// - Parameter controlFile: The file given to ``start(command:environment:directory:logPath:controlFile:)``, or
    ///   the directory an earlier version gave (its `status` file is read).
    /// - Returns: How the command ended, or nil.
    package static func recordedTermination(at controlFile: String) -> Termination? {
        guard let code = recordedLines(controlFile, legacyName: "status", line: 1).flatMap(Int32.init) else {
            return nil
        }
        return code > 128 && code < 128 + 65 ? .signalled(code - 128) : .exited(code)
    }

    /// The pid a supervisor wrote to its control file; nil when it has not written it.
    ///
    /// - Parameter controlFile: The control file (or an earlier version's control directory).
    /// - Returns: The supervisor's pid (also its process group and session id), or nil.
    package static func recordedPID(at controlFile: String) -> Int32? {
        recordedLines(controlFile, legacyName: "pid", line: 0).flatMap(Int32.init)
    }

    /// Line `line` (from 0) of the control file, when complete (ended by its newline).
    ///
    /// A directory at the path is an earlier version's record: the first line of its file `legacyName` is read
    /// instead.
    private static func recordedLines(_ path: String, legacyName: String, line: Int) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        // A pid and a status: two short lines, each written whole by one `write`.
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count < 0 {
            guard errno == EISDIR else { return nil }
            return recordedLines(path + "/" + legacyName, legacyName: legacyName, line: 0)
        }
        let lines = buffer[0..<count].split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        // The last piece follows the last newline: empty, or a line still being written.
        guard line < lines.count - 1, !lines[line].isEmpty else { return nil }
        return String(decoding: lines[line], as: UTF8.self)
    }

    /// Sends `signal` to every process of the group.
    package func signalGroup(_ signal: Int32) { _ = kill(-pid, signal) }
}

/// The `posix_spawn` extensions Glibc declares only under `_GNU_SOURCE`, so Swift does not import them; looked
/// up at run time (glibc 2.29 and 2.34, macOS 10.15).
enum SpawnExtensions {
    typealias ChangeDirectory =
        @convention(c) (
            UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>
        ) -> Int32
    typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// `posix_spawn_file_actions_addchdir_np`.
    static let changeDirectory: ChangeDirectory? = symbol("posix_spawn_file_actions_addchdir_np")
    /// `posix_spawn_file_actions_addclosefrom_np` (absent on macOS: descriptors there are opened close-on-exec).
    static let closeFrom: CloseFrom? = symbol("posix_spawn_file_actions_addclosefrom_np")

    private static func symbol<T>(_ name: String) -> T? {
        #if canImport(Darwin)
        let everywhere = UnsafeMutableRawPointer(bitPattern: -2)  // RTLD_DEFAULT
        #else
        let everywhere: UnsafeMutableRawPointer? = nil  // RTLD_DEFAULT
        #endif
        guard let address = dlsym(everywhere, name) else { return nil }
        return unsafeBitCast(address, to: T.self)
    }
}

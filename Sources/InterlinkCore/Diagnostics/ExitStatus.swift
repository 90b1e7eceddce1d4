/// How `rescale-int` ends: the one list of exit statuses that code, `--help` and the README share.
///
/// The values follow BSD `sysexits.h` where one fits, so scripts can tell "fix the input" (65) from "try again
/// later" (75) without parsing text.
package enum ExitStatus: Int32, CaseIterable, Hashable, Sendable {
    /// Everything asked for was done.
    case success = 0
    /// The run ended and at least one job failed.
    case jobFailed = 1
    /// The command line is wrong: an unknown flag, a missing argument, a run that does not exist.
    case usage = 64
    /// An input file is invalid (a spec, a CSV, a template) or a run's journal is corrupt or belongs to another
    /// platform.
    case invalidInput = 65
    /// The platform or its storage cannot be reached or refused the request.
    case unavailable = 69
    /// A local file or directory cannot be read or written (an output file, the journal, the local platform).
    case ioError = 74
    /// The run (or the local platform) is in use by another runner; try again when it has finished.
    case inUse = 75
    /// The Rescale configuration is unusable: no API key, a key file others can read, a refused host.
    case configuration = 78
    /// Ctrl-C (SIGINT) or SIGTERM stopped the run; `rescale-int resume` continues it.
    case interrupted = 130

    /// What the status means, one lowercase phrase, as `--help` and the README list it.
    package var meaning: String {
        switch self {
        case .success: "success"
        case .jobFailed: "a job failed"
        case .usage: "usage error (a bad flag or argument, an unknown run)"
        case .invalidInput: "invalid input (a spec, CSV or template), or a corrupt or foreign journal"
        case .unavailable: "the platform or its storage is unavailable or refused the request"
        case .ioError: "a local file cannot be read or written"
        case .inUse: "in use by another runner; try again later"
        case .configuration: "Rescale configuration: no API key, an open key file, or a refused host"
        case .interrupted: "interrupted; 'rescale-int resume' continues"
        }
    }

    /// The `Exit codes:` paragraph of a command's `--help`, one line per status.
    ///
    /// - Parameter statuses: The statuses the command can end with, in any order (printed ascending).
    /// - Returns: The paragraph, starting with `Exit codes:` and without a final newline.
    package static func helpText(_ statuses: [ExitStatus]) -> String {
        let lines = Set(statuses).sorted { $0.rawValue < $1.rawValue }.map { status in
            let code = String(status.rawValue)
            return "  " + code + String(repeating: " ", count: max(1, 5 - code.count)) + status.meaning
        }
        return (["Exit codes:"] + lines).joined(separator: "\n")
    }
}

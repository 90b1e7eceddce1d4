#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns off the terminal's echo of control characters (`^C`) while the live board is drawn, so Ctrl-C does not
/// print into the board, and puts the terminal back as it was.
struct TerminalEcho {
    private var saved: termios?

    /// Clears `ECHOCTL` on standard input when it is a terminal; does nothing otherwise.
    static func suppressControlEcho() -> TerminalEcho {
        guard isatty(STDIN_FILENO) != 0 else { return TerminalEcho(saved: nil) }
        var settings = termios()
        guard tcgetattr(STDIN_FILENO, &settings) == 0 else { return TerminalEcho(saved: nil) }
        let original = settings
        settings.c_lflag &= ~tcflag_t(ECHOCTL)
        guard tcsetattr(STDIN_FILENO, TCSANOW, &settings) == 0 else { return TerminalEcho(saved: nil) }
        return TerminalEcho(saved: original)
    }

    /// Restores the settings saved by ``suppressControlEcho()``.
    func restore() {
        guard var saved else { return }
        _ = tcsetattr(STDIN_FILENO, TCSANOW, &saved)
    }
}

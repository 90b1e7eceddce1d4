import Foundation
import InterlinkCore
import Synchronization

/// The secrets this process knows, masked in everything it prints or logs: diagnostics on stderr, progress and
/// summaries, and every log line (console and `--log-file`).
///
/// It is process-wide, like the logging system it guards: logging is bootstrapped before any command runs, while
/// the API key is known only once a command resolves its configuration (the environment, the profile's key
/// file). Each resolution adds the key here, so a server that echoes the key back in an error body never gets it
/// printed.
package enum ProcessRedactor {
    private static let redactor = Mutex(SecretRedactor())

    /// Adds a secret to mask from now on.
    ///
    /// - Parameter secret: The secret's text.
    package static func add(_ secret: String) {
        redactor.withLock { $0.add(secret) }
    }

    /// `text` with every known secret and any `Authorization: Token …` value masked.
    ///
    /// - Parameter text: Text about to be printed or logged.
    /// - Returns: The safe text.
    package static func redact(_ text: String) -> String {
        redactor.withLock { $0 }.redact(text)
    }

    /// Adds the key the environment holds, if any (`RESCALE_API_KEY`), before anything is printed.
    ///
    /// - Parameter environment: The process environment.
    package static func addKnownSecrets(from environment: [String: String]) {
        if let key = environment["RESCALE_API_KEY"] { add(key) }
    }
}

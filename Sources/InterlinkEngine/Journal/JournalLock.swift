import InterlinkSystem

/// A run's `lock` file: the OS layer's ``FileLock``, with its failures as `JournalError`.
package final class JournalLock: Sendable {
    private let lock: FileLock
    /// The lock file's path.
    package var path: String { lock.path }

    /// Takes the lock without waiting.
    ///
    /// - Parameter path: The run's lock file.
    /// - Throws: `JournalError` naming the holder's pid and command line when another runner (in any process, or
    ///   another open of the same run in this one) holds it, or `.io` when the file cannot be opened.
    package init(path: String) throws(JournalError) {
        do {
            lock = try FileLock(path: path)
        } catch {
            switch error {
            case .held(let pid):
                var error = JournalError(.locked(pid: pid), path: path)
                error.holderCommand = pid.flatMap(ProcessIdentity.commandLine(of:))
                throw error
            case .unusable(let failure): throw JournalError(.io(failure.description), path: path)
            }
        }
    }

    /// Releases the lock.
    package func release() { lock.release() }
}

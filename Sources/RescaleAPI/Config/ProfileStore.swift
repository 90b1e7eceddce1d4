import Foundation
import InterlinkCore
import InterlinkSystem

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads and writes profile files; the key file is created with mode 0600 and refused when wider.
package struct ProfileStore: Sendable {
    /// The configuration directory.
    package var directory: ConfigDirectory

    /// Creates a store.
    package init(directory: ConfigDirectory) { self.directory = directory }

    /// A profile's settings, or nil when it has no settings file.
    ///
    /// - Throws: ``ConfigurationError`` when the file exists but cannot be read or parsed.
    package func settings(_ profile: String) throws(ConfigurationError) -> ProfileSettings? {
        let path = directory.settingsFile(profile)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            return try JSONDecoder().decode(ProfileSettings.self, from: data)
        } catch {
            throw ConfigurationError(.unreadable(path: path, detail: ErrorText.describe(error)))
        }
    }

    /// A profile's key, or nil when it has no key file.
    ///
    /// - Throws: ``ConfigurationError`` when the file is readable or writable by group or others (with the
    ///   `chmod 600` fix) or cannot be read.
    package func key(_ profile: String) throws(ConfigurationError) -> APIKey? {
        let path = directory.keyFile(profile)
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        let mode = UInt16(status.st_mode & 0o777)
        guard mode & 0o077 == 0 else { throw ConfigurationError(.keyFileTooOpen(path: path, mode: mode)) }
        do {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            return APIKey(text)
        } catch {
            throw ConfigurationError(.unreadable(path: path, detail: ErrorText.describe(error)))
        }
    }

    /// Writes a profile: the settings file, and the key file with mode 0600 from the moment it exists.
    ///
    /// - Parameters:
    ///   - profile: The profile name.
    ///   - settings: What to store besides the key.
    ///   - key: The key, or nil to keep the current key file.
    /// - Throws: ``ConfigurationError`` when a file cannot be written.
    package func save(_ profile: String, settings: ProfileSettings, key: APIKey?) throws(ConfigurationError) {
        let folder = directory.path + "/profiles"
        do {
            try FileManager.default.createDirectory(
                atPath: folder,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(settings).write(
                to: URL(fileURLWithPath: directory.settingsFile(profile)),
                options: .atomic
            )
        } catch {
            throw ConfigurationError(
                .unwritable(path: directory.settingsFile(profile), detail: ErrorText.describe(error))
            )
        }
        guard let key else { return }
        try writePrivate(key.reveal() + "\n", to: directory.keyFile(profile))
    }

    /// Writes text atomically (the OS layer's ``AtomicFile``: a temporary sibling created with mode 0600, fsynced,
    /// renamed into place).
    private func writePrivate(_ text: String, to path: String) throws(ConfigurationError) {
        do {
            try AtomicFile.write(Data(text.utf8), to: path)
        } catch {
            throw ConfigurationError(.unwritable(path: path, detail: error.reason))
        }
    }
}

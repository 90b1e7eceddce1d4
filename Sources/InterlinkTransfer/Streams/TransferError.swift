/// A failure of the data path: reading sources, tar, compression or encryption, with the file or entry concerned.
package struct TransferError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    package enum Reason: Hashable, Sendable {
        /// A system call failed (`strerror` text).
        case io(String)
        /// A file's size changed between listing and reading.
        case fileChanged(expected: Int64, actual: Int64)
        /// A tar entry is refused by safe extraction.
        case unsafeEntry(String)
        /// The tar stream is malformed.
        case malformedArchive(String)
        /// Compression or decompression failed.
        case compression(String)
        /// Ciphertext length is not a multiple of 16.
        case truncatedCiphertext(length: Int64)
        /// PKCS#7 padding is wrong: a wrong key or corrupt data.
        case invalidPadding
        /// The key probe failed.
        case wrongKey
        /// The object metadata does not describe a readable format.
        case invalidMetadata(String)
        /// The plaintext's SHA-512 differs from the expected one.
        case checksumMismatch(expected: String, actual: String)
        /// The plaintext's size differs from the expected one.
        case sizeMismatch(expected: Int64, actual: Int64)
        /// A resumed upload regenerated a different stream: the input changed since the checkpoint.
        case resumeMismatch(String)
        /// The input is too large for the object store's part limits.
        case tooLarge(String)
        /// Key, IV or base64 text is malformed.
        case invalidKeyMaterial(String)
        /// The task was cancelled.
        case cancelled
        /// A system library loaded at run time is missing (`problem`); `package` is the Debian package to install.
        case libraryMissing(problem: String, package: String)
    }

    /// The file, entry or object concerned.
    package var path: String
    /// What went wrong.
    package var reason: Reason

    /// Creates the error.
    package init(path: String, reason: Reason) {
        self.path = path
        self.reason = reason
    }

    package var description: String {
        switch reason {
        case .io(let text): "'\(path)': \(text)"
        case .fileChanged(let expected, let actual):
            "'\(path)' changed while it was read: expected \(expected) bytes, found \(actual)"
        case .unsafeEntry(let text): "refusing archive entry '\(path)': \(text)"
        case .malformedArchive(let text): "malformed archive at '\(path)': \(text)"
        case .compression(let text): "'\(path)': \(text)"
        case .truncatedCiphertext(let length):
            "'\(path)' is truncated or corrupt: \(length) bytes is not a multiple of 16"
        case .invalidPadding: "'\(path)': invalid padding (wrong key or corrupt data)"
        case .wrongKey: "'\(path)' cannot be decrypted with the provided key"
        case .invalidMetadata(let text): "'\(path)': \(text)"
        case .checksumMismatch(let expected, let actual):
            "'\(path)': sha512 mismatch: expected \(expected), got \(actual)"
        case .sizeMismatch(let expected, let actual): "'\(path)': expected \(expected) bytes, got \(actual)"
        case .resumeMismatch(let text): "'\(path)' cannot resume: \(text)"
        case .tooLarge(let text): "'\(path)' is too large: \(text)"
        case .invalidKeyMaterial(let text): "'\(path)': \(text)"
        case .cancelled: "'\(path)': cancelled"
        case .libraryMissing(let problem, let package):
            "\(path) is not available: \(problem) (install Debian's '\(package)', or choose another compression)"
        }
    }
}

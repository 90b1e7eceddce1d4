import InterlinkCore
import InterlinkStorage
import InterlinkTransfer

extension RescalePlatform {
    /// Runs a typed-throwing transfer step, mapping its error to a `PlatformError`.
    static func mapTransfer<T>(_ body: () throws(TransferError) -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw platformError(error)
        }
    }

    /// A transfer failure as the engine sees it: a wrong key or bad padding is fatal, a size or checksum
    /// mismatch a (retryable) verification failure, a local file problem fatal.
    static func platformError(_ error: TransferError) -> PlatformError {
        switch error.reason {
        case .checksumMismatch, .sizeMismatch, .truncatedCiphertext:
            PlatformError(.verification(error.description))
        case .wrongKey, .invalidPadding, .invalidMetadata, .invalidKeyMaterial:
            PlatformError(.verification(error.description), retryClass: .fatal)
        case .cancelled:
            PlatformError(.transport("cancelled"), retryClass: .retryable)
        default:
            PlatformError(.localFile(path: error.path, message: error.description), retryClass: .fatal)
        }
    }

    /// A storage failure: retryable (the upload continues from its checkpoint) unless the store said it is fatal.
    static func platformError(_ error: StorageError) -> PlatformError {
        if case .localFile(let path, let errno) = error.reason {
            return PlatformError(.localFile(path: path, message: ErrorText.words(errno: errno)), retryClass: .fatal)
        }
        return PlatformError(.storage(error.description), retryClass: error.errorClass == .fatal ? .fatal : .retryable)
    }
}

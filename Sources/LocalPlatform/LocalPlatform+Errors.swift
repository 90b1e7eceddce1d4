import InterlinkCore
import InterlinkTransfer
import LocalCloud

extension LocalPlatform {
    /// The platform error for a cloud failure; I/O failures of create, register and submit may have taken effect.
    static func platformError(_ error: LocalCloudError, uncertain: Bool) -> PlatformError {
        switch error {
        case .notFound(let what): PlatformError(.notFound(what))
        case .rejected(let detail): PlatformError(.rejected(status: 400, message: detail))
        case .io, .corrupt:
            PlatformError(.storage(error.description), retryClass: uncertain ? .needsReconcile : .retryable)
        }
    }

    /// The platform error for a data-path failure.
    static func platformError(_ error: TransferError) -> PlatformError {
        switch error.reason {
        case .checksumMismatch, .sizeMismatch, .wrongKey, .invalidPadding, .truncatedCiphertext:
            PlatformError(.verification(error.description))
        case .io, .fileChanged, .tooLarge, .unsafeEntry, .malformedArchive:
            PlatformError(.localFile(path: error.path, message: error.description))
        case .cancelled:
            PlatformError(.storage(error.description), retryClass: .retryable)
        default:
            PlatformError(.storage(error.description))
        }
    }
}

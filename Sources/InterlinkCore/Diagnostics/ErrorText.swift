import Foundation

/// Words a person can act on for an error that came from the system or a decoder, in place of its debug text.
///
/// An operating-system error becomes its words (`permission denied`, never `errno 13`); a `DecodingError`
/// names the key and what was wrong with it (never `DecodingError.dataCorrupted … Debug description`); a
/// ``UserFacingError`` gives its message alone, so a message that quotes one never says `error:` twice.
package enum ErrorText {
    /// One lowercase line describing `error`, with no final period.
    ///
    /// - Parameter error: Any error.
    /// - Returns: Its description in words.
    package static func describe(_ error: any Error) -> String {
        switch error {
        case let error as any UserFacingError: return error.message
        case let error as DecodingError: return describe(decoding: error)
        case let error as POSIXError: return words(errno: error.code.rawValue)
        case let error as CocoaError: return describe(cocoa: error)
        default: break
        }
        let bridged = error as NSError
        if bridged.domain == NSPOSIXErrorDomain { return words(errno: Int32(bridged.code)) }
        if let underlying = bridged.userInfo[NSUnderlyingErrorKey] as? NSError,
            underlying.domain == NSPOSIXErrorDomain
        {
            return words(errno: Int32(underlying.code))
        }
        return "\(error)"
    }

    /// The words of an `errno` value: `permission denied` for `EACCES`, `no such file or directory` for `ENOENT`.
    ///
    /// - Parameter code: The `errno` value.
    /// - Returns: The C library's message, lowercased.
    package static func words(errno code: Int32) -> String {
        String(cString: strerror(code)).lowercased()
    }

    /// What was wrong with a decoded document: the key path and the problem.
    private static func describe(decoding error: DecodingError) -> String {
        func place(_ context: DecodingError.Context) -> String {
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return path.isEmpty ? "" : " at '\(path.joined(separator: "."))'"
        }
        switch error {
        case .dataCorrupted(let context):
            let isSyntax = context.codingPath.isEmpty
            if isSyntax { return "it is not valid JSON" }
            let detail = context.debugDescription.lowercased()
            return "the value\(place(context)) is not valid" + (detail.isEmpty ? "" : ": \(detail)")
        case .keyNotFound(let key, let context):
            return "the key '\(key.stringValue)' is missing\(place(context))"
        case .typeMismatch(let type, let context):
            return "the value\(place(context)) has the wrong type (expected \(name(of: type)))"
        case .valueNotFound(let type, let context):
            return "the value\(place(context)) is missing (expected \(name(of: type)))"
        @unknown default:
            return "it is not a valid document"
        }
    }

    private static func name(of type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type, is Int64.Type, is Int32.Type: "an integer"
        case is Double.Type: "a number"
        default: "\(type)".lowercased()
        }
    }

    private static func describe(cocoa error: CocoaError) -> String {
        if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError,
            underlying.domain == NSPOSIXErrorDomain
        {
            return words(errno: Int32(underlying.code))
        }
        switch error.code {
        case .fileReadNoPermission, .fileWriteNoPermission: return words(errno: EACCES)
        case .fileReadNoSuchFile, .fileNoSuchFile: return words(errno: ENOENT)
        case .fileWriteOutOfSpace: return words(errno: ENOSPC)
        case .fileWriteVolumeReadOnly: return words(errno: EROFS)
        case .fileWriteFileExists: return words(errno: EEXIST)
        case .fileReadCorruptFile: return "the file is corrupt or not in the expected format"
        case .fileReadInapplicableStringEncoding: return "the file is not UTF-8 text"
        default: return "the file operation failed (code \(error.code.rawValue))"
        }
    }
}

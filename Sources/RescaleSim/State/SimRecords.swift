import Foundation
import InterlinkCore

/// A registered file (uploaded input or job output) as the API keeps it.
package struct SimFile: Sendable {
    /// The short opaque id.
    package var id: String
    /// The API key of the owner.
    package var ownerKey: String
    /// The folder it lives in.
    package var folderID: String
    /// The record as `GET /api/v3/files/{id}/` returns it.
    package var record: JSONValue
    /// When it was registered.
    package var dateUploaded: Date
}

/// A folder a user made under one of their folders (the root folders `myLibrary` and `myJobs` are not stored).
package struct SimFolder: Sendable {
    /// The short opaque id.
    package var id: String
    /// The API key of the owner.
    package var ownerKey: String
    /// The folder it was made in: a root folder or another made folder.
    package var parentID: String
    /// The name, unique among the parent's child folders; never empty and never containing `/`.
    package var name: String
    /// When it was made.
    package var dateInserted: Date
}

/// A job: its create body, tags, counters and status history.
package struct SimJob: Sendable {
    /// One status entry.
    package struct Status: Sendable {
        /// The status value, such as `Executing`.
        package var status: String
        /// The reason, mostly empty.
        package var reason: String
        /// When it was entered.
        package var date: Date
    }

    /// The short opaque id.
    package var id: String
    /// The owner's API key.
    package var ownerKey: String
    /// The owner's e-mail.
    package var owner: String
    /// The create body exactly as sent.
    package var body: JSONValue
    /// When it was created.
    package var dateInserted: Date
    /// Tags added after create, in order.
    package var tags: [String] = []
    /// The project assigned, if any.
    package var projectID: String?
    /// How many submit requests were accepted for it.
    package var submitCount = 0
    /// Oldest first.
    package var statuses: [Status] = []
    /// Whether a stop was requested.
    package var isStopRequested = false
    /// Output file ids, in order of upload.
    package var outputIDs: [String] = []

    /// The job name from the create body.
    package var name: String { body["name"]?.string ?? "" }
    /// The current (newest) status.
    package var current: Status? { statuses.last }
}

/// Temporary S3 credentials the simulator issued.
package struct IssuedCredential: Sendable {
    /// The access key id (`ASIA…`).
    package var accessKey: String
    /// The secret key.
    package var secretKey: String
    /// The session token that must accompany every request.
    package var sessionToken: String
    /// When they stop working.
    package var expiry: Date
    /// The object keys they reach (file-specific credentials), or nil for the whole bucket (default storage).
    package var paths: Set<String>? = nil
}

/// Short random identifiers like the platform's (`tqmdnn`, `WvNKdb`).
package enum SimIDs {
    private static let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")

    /// A random id of `length` letters and digits.
    package static func make(length: Int = 6) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet[Int(generator.next(upperBound: UInt(alphabet.count)))] })
    }

    /// ISO-8601 with microseconds and `+00:00`, as the API writes dates.
    package static func date(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        let whole = seconds.rounded(.down)
        let micros = Int(((seconds - whole) * 1_000_000).rounded(.down))
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        let base = formatter.string(from: Date(timeIntervalSince1970: whole)).replacingOccurrences(of: "Z", with: "")
        return base + String(format: ".%06d+00:00", micros)
    }
}

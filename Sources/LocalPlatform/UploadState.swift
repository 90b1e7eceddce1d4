import InterlinkTransfer

/// What ``LocalPlatform`` keeps in an `UploadCheckpoint` payload to continue an upload: the object being written,
/// its key and IV0, the part size, and the chain state after the last durable part.
///
/// It holds the data key; the journal keeps checkpoints with owner-only permissions.
struct UploadState: Codable, Hashable, Sendable {
    /// The object name (`<basename>-<suffix>`).
    var objectName: String
    /// base64 of the data key.
    var key: String
    /// IV0.
    var iv: CipherBlock
    /// S.
    var partSize: Int
    /// The chain state after the last stored part; nil before the first.
    var chain: ChainCheckpoint?
    /// The plaintext's SHA-512 (lowercase hex), set once the final part is stored: the object then only needs (or
    /// had) its completion, so a resume adopts it instead of writing another object when the regenerated input has
    /// the same size and SHA-512.
    ///
    /// Absent in checkpoints written before the final part.
    var sha512: String?
}

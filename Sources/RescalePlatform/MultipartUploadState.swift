import Foundation
import InterlinkCore
import InterlinkStorage
import InterlinkTransfer

/// The checkpoint payload of a Rescale upload: everything needed to continue it.
///
/// Holds the data key (the journal is owner-only), never storage credentials.
struct MultipartUploadState: Codable, Sendable {
    var v = 1
    /// The storage the object goes to; a resume against another storage starts over.
    var storageID: String
    /// The object name `<basename>-<suffix>`.
    var objectName: String
    /// The registered `pathParts.path`.
    var registeredPath: String
    /// base64 data key.
    var encodedKey: String
    /// IV0.
    var iv: CipherBlock
    /// The multipart upload and its acknowledged parts.
    var storage: MultipartCheckpoint
    /// Chain states after acknowledged parts at or beyond the contiguous prefix, by part number.
    var chains: [Int: ChainCheckpoint]

    /// The chain state at the end of the contiguous prefix: where a resumed producer starts.
    func chain(beforePart number: Int) -> ChainCheckpoint? {
        number <= 1 ? nil : chains[number - 1]
    }

    func encoded() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    static func decode(_ payload: String) -> MultipartUploadState? {
        try? JSONDecoder().decode(MultipartUploadState.self, from: Data(payload.utf8))
    }
}

/// Everything needed to resume a multipart upload after a crash or cancellation, journaled as JSON.
///
/// The uploader reports a new checkpoint after every acknowledged part. The lead adds the encryption state (key
/// reference, IV0, running IV) alongside it in the journal; the storage layer only needs these fields.
package struct MultipartCheckpoint: Hashable, Sendable, Codable {
    /// The schema version of this record.
    package var v: Int = 1
    /// The upload: key, upload id (S3) and the metadata written at create or commit.
    package var session: UploadSession
    /// The part size S in bytes; every part but the last has this size.
    package var partSize: Int
    /// The acknowledged parts, sorted by number, with their tags and sizes.
    package var completedParts: [CompletedPart]

    /// Creates a checkpoint.
    package init(session: UploadSession, partSize: Int, completedParts: [CompletedPart] = []) {
        self.session = session
        self.partSize = partSize
        self.completedParts = completedParts.sorted { $0.number < $1.number }
    }

    /// The first part number not in the contiguous prefix 1…k of completed parts: where a resumed source starts.
    ///
    /// The source must re-read from byte offset `(resumePartNumber − 1) × partSize`; parts after it that are
    /// already completed are produced again (to keep the CBC chain) but not uploaded again.
    package var resumePartNumber: Int {
        var next = 1
        for part in completedParts {
            if part.number == next { next += 1 } else if part.number > next { break }
        }
        return next
    }

    /// The bytes acknowledged so far.
    package var completedBytes: Int64 { completedParts.reduce(0) { $0 + $1.size } }

    /// Records an acknowledged part, replacing any earlier record with the same number.
    package mutating func record(_ part: CompletedPart) {
        completedParts.removeAll { $0.number == part.number }
        let index = completedParts.firstIndex { $0.number > part.number } ?? completedParts.endIndex
        completedParts.insert(part, at: index)
    }
}

/// One row of Interlink's state CSV: the progress of one job row through tar, upload, create and submit.
package struct StateRow: Hashable, Sendable {
    /// The status Interlink records for a stage.
    package enum Status: String, Hashable, Sendable, CaseIterable {
        case pending
        case success
        case failed
        case skipped
    }

    /// The 1-based position of the job row in the jobs CSV.
    package var index: Int
    /// The job name, copied from the job row.
    package var jobName: String
    /// The absolute run directory, copied from the job row.
    package var directory: String
    /// The archive's absolute path once the tar stage started; empty before.
    package var tarPath: String
    /// The tar stage's status.
    package var tarStatus: Status
    /// The uploaded archive's Rescale file id; empty before upload.
    package var fileID: String
    /// The upload stage's status.
    package var uploadStatus: Status
    /// The Rescale job id once created; empty before.
    package var jobID: String
    /// The submit status (also carries create failures and failures of earlier stages).
    package var submitStatus: Status
    /// Always empty in files Interlink writes; kept for the column.
    package var extraFileIDs: String
    /// The last error; empty for none.
    package var errorMessage: String
    /// When the row last changed; nil when unknown (written as an empty field).
    package var lastUpdated: RFC3339Timestamp?

    /// Creates a row; a fresh row has every status `pending`.
    package init(
        index: Int,
        jobName: String,
        directory: String,
        tarPath: String = "",
        tarStatus: Status = .pending,
        fileID: String = "",
        uploadStatus: Status = .pending,
        jobID: String = "",
        submitStatus: Status = .pending,
        extraFileIDs: String = "",
        errorMessage: String = "",
        lastUpdated: RFC3339Timestamp? = nil
    ) {
        self.index = index
        self.jobName = jobName
        self.directory = directory
        self.tarPath = tarPath
        self.tarStatus = tarStatus
        self.fileID = fileID
        self.uploadStatus = uploadStatus
        self.jobID = jobID
        self.submitStatus = submitStatus
        self.extraFileIDs = extraFileIDs
        self.errorMessage = errorMessage
        self.lastUpdated = lastUpdated
    }

    /// The fields in header order.
    var fields: [String] {
        [
            String(index), jobName, directory, tarPath, tarStatus.rawValue, fileID, uploadStatus.rawValue, jobID,
            submitStatus.rawValue, extraFileIDs, errorMessage, lastUpdated?.description ?? "",
        ]
    }
}

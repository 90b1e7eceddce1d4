import Foundation
import HTTPTypes
import Hummingbird
import InterlinkCrypto
import InterlinkStorage

extension BlobRequest {
    /// Get Blob (`GET`) and Get Blob Properties (`HEAD`), with `x-ms-range` (preferred) or `Range`.
    func getBlob(headOnly: Bool) async throws -> Response {
        let stored = try await store.blob(blob, in: container)
        var fields = HTTPFields()
        fields[.eTag] = stored.etag
        fields[.lastModified] = BlobDates.rfc1123(stored.lastModified)
        fields[BlobHeader.blobType] = "BlockBlob"
        fields[.acceptRanges] = "bytes"
        fields[.contentType] = "application/octet-stream"
        fields[BlobHeader.creationTime] = BlobDates.rfc1123(stored.created)
        fields[BlobHeader.field("x-ms-server-encrypted")] = "true"
        for (name, value) in stored.metadata {
            fields.append(HTTPField(name: BlobHeader.field("x-ms-meta-\(name)"), value: value))
        }
        if headOnly {
            fields[BlobHeader.contentMD5] = stored.contentMD5
            var response = respond(.ok, headers: fields)
            response.headers[.contentLength] = String(stored.bytes.count)
            return response
        }
        guard let range = try requestedRange(size: stored.bytes.count) else {
            fields[BlobHeader.contentMD5] = stored.contentMD5
            return respond(.ok, headers: fields, body: ByteBuffer(bytes: stored.bytes))
        }
        let slice = Array(stored.bytes[range])
        fields[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound)/\(stored.bytes.count)"
        if request.headers[BlobHeader.rangeGetContentMD5] == "true" {
            guard slice.count <= 4 << 20 else {
                throw BlobError("OutOfRangeInput", 400, "One of the request inputs is out of range.")
            }
            fields[BlobHeader.contentMD5] = Data(Insecure.MD5.hash(data: slice)).base64EncodedString()
        } else if stored.contentMD5 != nil {
            fields[BlobHeader.field("x-ms-blob-content-md5")] = stored.contentMD5
        }
        return respond(.partialContent, headers: fields, body: ByteBuffer(bytes: slice))
    }

    /// Get Block List as XML, filtered by `blocklisttype` (default `committed`).
    func getBlockList() async throws -> Response {
        let kind = query.first { $0.0 == "blocklisttype" }?.1 ?? "committed"
        guard ["committed", "uncommitted", "all"].contains(kind) else { throw BlobError.invalidQuery("blocklisttype") }
        let lists = try await store.blockList(of: blob, in: container)
        func render(_ tag: String, _ blocks: [(String, Int)]) -> String {
            "<\(tag)>"
                + blocks.map { "<Block><Name>\(XMLText.escape($0.0))</Name><Size>\($0.1)</Size></Block>" }.joined()
                + "</\(tag)>"
        }
        var xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList>"
        if kind != "uncommitted" { xml += render("CommittedBlocks", lists.committed) }
        if kind != "committed" { xml += render("UncommittedBlocks", lists.staged) }
        xml += "</BlockList>"
        var fields = HTTPFields()
        fields[.contentType] = "application/xml"
        if let stored = try? await store.blob(blob, in: container) {
            fields[.eTag] = stored.etag
            fields[.lastModified] = BlobDates.rfc1123(stored.lastModified)
        }
        return respond(.ok, headers: fields, body: ByteBuffer(string: xml))
    }

    /// The inclusive range asked for, clamped to the blob; `nil` for the whole blob.
    ///
    /// - Throws: `InvalidRange` (416) when the start is past the end; `InvalidHeaderValue` for a malformed `x-ms-range`.
    private func requestedRange(size: Int) throws -> ClosedRange<Int>? {
        let header = request.headers[BlobHeader.range] ?? request.headers[.range]
        guard let header else { return nil }
        let isOwnHeader = request.headers[BlobHeader.range] != nil
        guard header.hasPrefix("bytes="), let dash = header.firstIndex(of: "-") else {
            if isOwnHeader { throw BlobError.invalidHeader("x-ms-range") }
            return nil
        }
        let startText = header[header.index(header.startIndex, offsetBy: 6)..<dash]
        let endText = header[header.index(after: dash)...]
        guard let start = Int(startText), start >= 0, endText.isEmpty || Int(endText).map({ $0 >= start }) == true
        else {
            if isOwnHeader { throw BlobError.invalidHeader("x-ms-range") }
            return nil
        }
        guard start < size else { throw BlobError.invalidRange }
        let end = min(Int(endText) ?? (size - 1), size - 1)
        return start...end
    }
}

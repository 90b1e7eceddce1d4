import Foundation
import HTTPTypes
import Hummingbird
import InterlinkCrypto
import InterlinkStorage

/// Answers the S3 subset with path-style addressing (`/<bucket>/<key>`), after verifying SigV4.
struct S3Responder: Sendable {
    let store: S3Store
    /// Receives PutObject and UploadPart bodies into the store's files.
    var receiver: S3BodyReceiver { S3BodyReceiver(files: store.files, limit: uploadLimit) }
    let verifier: SigV4Verifier
    let maxBodyBytes: Int
    /// The largest PutObject or UploadPart body, in bytes; larger ones get `EntityTooLarge`.
    let uploadLimit: Int

    /// The operation a request asks for, used as its kind (`s3.<Operation>`) for counts and faults.
    static func operation(method: HTTPRequest.Method, query: [(String, String)], hasKey: Bool) -> String {
        let has = { (name: String) in query.contains { $0.0 == name } }
        switch method {
        case .post where has("uploads"): return "CreateMultipartUpload"
        case .post where has("uploadId"): return "CompleteMultipartUpload"
        case .put where has("uploadId"): return "UploadPart"
        case .put: return "PutObject"
        case .get where has("uploadId"): return "ListParts"
        case .get where hasKey: return "GetObject"
        case .head: return "HeadObject"
        case .delete where has("uploadId"): return "AbortMultipartUpload"
        case .delete: return "DeleteObject"
        default: return "Unsupported"
        }
    }

    /// The error a request gets before its body is read, if its declared size is over ``uploadLimit``.
    ///
    /// Checked before `100 Continue` is sent, so a client that waits for it never sends an oversized body.
    func rejectionBeforeBody(_ request: Request, operation: String) -> Response? {
        guard operation == "PutObject" || operation == "UploadPart" else { return nil }
        let decoded = request.headers[HTTPField.Name("x-amz-decoded-content-length") ?? .contentLength]
        let declared = (decoded ?? request.headers[.contentLength]).flatMap { Int($0) } ?? 0
        guard declared > uploadLimit else { return nil }
        return S3Error.entityTooLarge.response(isHead: false, resource: request.uri.path)
    }

    func respond(to request: Request, operation: String, context: some RequestContext) async -> Response {
        let rawPath = request.uri.path
        if let rejection = rejectionBeforeBody(request, operation: operation) { return rejection }
        do {
            return try await handle(request, operation: operation, rawPath: rawPath, context: context)
        } catch let error as S3Error {
            return error.response(isHead: request.method == .head, resource: rawPath)
        } catch {
            return S3Error("InternalError", 500, "We encountered an internal error. Please try again.")
                .response(isHead: request.method == .head, resource: rawPath)
        }
    }

    private func handle(_ request: Request, operation: String, rawPath: String, context: some RequestContext)
        async throws -> Response
    {
        var headers: [(String, String)] = request.headers.map { ($0.name.canonicalName, $0.value) }
        headers.append(("host", request.head.authority ?? ""))
        let rawQuery = request.uri.query ?? ""
        let signed = SigV4Verifier.Signed(
            method: request.method.rawValue,
            rawPath: rawPath,
            rawQuery: rawQuery,
            headers: headers
        )
        let (payload, credential) = try await verifier.verify(signed, now: Date())
        let segments = rawPath.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: true)
        guard let bucketText = segments.first, segments.count == 2 else {
            throw S3Error("NotImplemented", 501, "Only object operations with path-style addressing are supported.")
        }
        let bucket = SASQuery.decode(bucketText)
        let key = SASQuery.decode(segments[1])
        if let reach = credential.paths, !reach.contains(key) {
            throw S3Error.accessDenied("Access Denied (file-specific credentials do not cover this key)")
        }
        let query = SigV4Verifier.parseQuery(rawQuery)
        let value = { (name: String) in query.first { $0.0 == name }?.1 }
        let metadata = Dictionary(
            headers.filter { $0.0.hasPrefix("x-amz-meta-") }.map { (String($0.0.dropFirst(11)), $0.1) }
        ) { first, _ in first }
        let header = { (name: String) in headers.first { $0.0 == name }?.1 }
        let decodedLength = header("x-amz-decoded-content-length").flatMap { Int($0) }
        switch operation {
        case "PutObject":
            let received = try await receiver.receive(
                request.body,
                payload: payload,
                checksum: try S3BodyReceiver.DeclaredChecksum.of(headers, payload: payload),
                decodedLength: decodedLength
            )
            let object = try await store.put(key, in: bucket, received: received, metadata: metadata)
            return Self.stored(object.etag, received)
        case "CreateMultipartUpload":
            let id = try await store.createUpload(
                key,
                in: bucket,
                metadata: metadata,
                checksumAlgorithm: header("x-amz-checksum-algorithm")
            )
            let xml = S3XML.document(
                "InitiateMultipartUploadResult",
                [("Bucket", bucket), ("Key", key), ("UploadId", id)]
            )
            return Self.reply(.ok, ["Content-Type": "application/xml"], xml)
        case "UploadPart":
            guard let number = value("partNumber").flatMap({ Int($0) }), (1...10_000).contains(number) else {
                throw S3Error.invalidRequest("Part number must be an integer between 1 and 10000, inclusive")
            }
            let received = try await receiver.receive(
                request.body,
                payload: payload,
                checksum: try S3BodyReceiver.DeclaredChecksum.of(headers, payload: payload),
                decodedLength: decodedLength
            )
            let etag = try await store.uploadPart(
                number,
                received: received,
                upload: value("uploadId") ?? "",
                key: key,
                bucket: bucket
            )
            return Self.stored(etag, received)
        case "CompleteMultipartUpload":
            let xml = String(decoding: try await body(request, payload), as: UTF8.self)
            guard let parts = S3XML.completedParts(xml) else { throw S3Error.malformedXML }
            let object = try await store.complete(value("uploadId") ?? "", key: key, bucket: bucket, parts: parts)
            let result = S3XML.document(
                "CompleteMultipartUploadResult",
                [("Location", "/\(bucket)/\(key)"), ("Bucket", bucket), ("Key", key), ("ETag", object.etag)]
            )
            return Self.reply(.ok, ["Content-Type": "application/xml"], result)
        case "AbortMultipartUpload":
            try await store.abort(value("uploadId") ?? "", key: key, bucket: bucket)
            return Self.reply(.noContent, [:])
        case "ListParts":
            return try await listParts(query, key: key, bucket: bucket)
        case "HeadObject", "GetObject":
            let object = try await store.object(key, in: bucket)
            return try await read(
                object,
                range: request.headers[.range],
                isHead: operation == "HeadObject",
                context: context
            )
        case "DeleteObject":
            try await store.delete(key, in: bucket)
            return Self.reply(.noContent, [:])
        default:
            throw S3Error(
                "NotImplemented",
                501,
                "A header or query you provided implies functionality that is not implemented."
            )
        }
    }

    private func listParts(_ query: [(String, String)], key: String, bucket: String) async throws -> Response {
        let value = { (name: String) in query.first { $0.0 == name }?.1 }
        let uploadID = value("uploadId") ?? ""
        let maxParts = min(value("max-parts").flatMap { Int($0) } ?? 1000, 1000)
        let marker = value("part-number-marker").flatMap { Int($0) } ?? 0
        let all = try await store.parts(of: uploadID, key: key, bucket: bucket).filter { $0.0 > marker }
        let page = all.prefix(maxParts)
        let isTruncated = all.count > page.count
        let parts = page.map { number, part in
            "<Part><PartNumber>\(number)</PartNumber><LastModified>\(BlobDates.iso8601(part.lastModified))"
                + "</LastModified><ETag>\(XMLText.escape(part.etag))</ETag><Size>\(part.size)</Size>"
                + (part.crc32.map { "<ChecksumCRC32>\($0)</ChecksumCRC32>" } ?? "") + "</Part>"
        }.joined()
        let xml = S3XML.document(
            "ListPartsResult",
            [
                ("Bucket", bucket), ("Key", key), ("UploadId", uploadID), ("PartNumberMarker", String(marker)),
                ("NextPartNumberMarker", String(page.last?.0 ?? marker)), ("MaxParts", String(maxParts)),
                ("IsTruncated", isTruncated ? "true" : "false"),
            ],
            extra: parts
        )
        return Self.reply(.ok, ["Content-Type": "application/xml"], xml)
    }

    /// A HEAD or GET answer; a GET streams the object's files (its segments) a chunk at a time.
    private func read(_ object: S3Store.Object, range header: String?, isHead: Bool, context: some RequestContext)
        async throws -> Response
    {
        var fields: [String: String] = [
            "ETag": object.etag, "Last-Modified": BlobDates.rfc1123(object.lastModified), "Accept-Ranges": "bytes",
            "Content-Type": "binary/octet-stream",
        ]
        for (name, value) in object.metadata { fields["x-amz-meta-\(name)"] = value }
        let size = object.size
        guard !isHead else {
            fields["Content-Length"] = String(size)
            return Response(status: .ok, headers: Self.fields(fields), body: ResponseBody())
        }
        let range = try header.flatMap { header throws(S3Error) in try S3Range.parse(header, size: size) }
        if let range { fields["Content-Range"] = "bytes \(range.lowerBound)-\(range.upperBound)/\(size)" }
        let served = range ?? 0...(size - 1)
        fields["Content-Length"] = String(size == 0 ? 0 : served.count)
        guard size > 0 else { return Response(status: .ok, headers: Self.fields(fields), body: ResponseBody()) }
        let body = try await store.files.body(of: object.segments, range: served)
        return Response(status: range == nil ? .ok : .partialContent, headers: Self.fields(fields), body: body)
    }

    private func body(_ request: Request, _ payload: String) async throws -> [UInt8] {
        var buffer = try await request.body.collect(upTo: maxBodyBytes)
        let raw = buffer.readBytes(length: buffer.readableBytes) ?? []
        if payload.hasPrefix("STREAMING-") { return try AWSChunked.decode(raw) }
        if payload != "UNSIGNED-PAYLOAD" {
            guard S3Store.hex(SHA256.hash(data: raw)) == payload.lowercased() else {
                throw S3Error(
                    "XAmzContentSHA256Mismatch",
                    400,
                    "The provided 'x-amz-content-sha256' header does not match what was computed."
                )
            }
        }
        return raw
    }

    /// The answer to a stored body: its entity tag, and its checksum echoed when one was checked, as S3 does (SDKs
    /// list a part's checksum in the completion from this header).
    static func stored(_ etag: String, _ received: S3BodyReceiver.Received) -> Response {
        var headers = ["ETag": etag]
        if let crc32 = received.crc32 { headers[S3BodyReceiver.crc32Name] = crc32 }
        return reply(.ok, headers)
    }

    static func reply(_ status: HTTPResponse.Status, _ headers: [String: String], _ text: String) -> Response {
        reply(status, headers, bytes: Array(text.utf8))
    }

    static func reply(_ status: HTTPResponse.Status, _ headers: [String: String], bytes: [UInt8] = []) -> Response {
        var fields = Self.fields(headers)
        fields[.contentLength] = String(bytes.count)
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func fields(_ headers: [String: String]) -> HTTPFields {
        var fields = HTTPFields()
        fields[HTTPField.Name("x-amz-request-id") ?? .server] = SimIDs.make(length: 16).uppercased()
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) {
            if let field = HTTPField.Name(name) { fields[field] = value }
        }
        return fields
    }
}

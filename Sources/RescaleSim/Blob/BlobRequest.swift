import Foundation
import HTTPTypes
import Hummingbird
import InterlinkCrypto

/// One routed blob request and the operations that answer it.
struct BlobRequest {
    let request: Request
    let container: String
    let blob: String
    let query: [(String, String)]
    let common: HTTPFields
    let store: BlobStore
    let maxBodyBytes: Int

    func respond(_ status: HTTPResponse.Status, headers: HTTPFields, body: ByteBuffer? = nil) -> Response {
        var fields = common
        fields.append(contentsOf: headers)
        fields[.contentLength] = String(body?.readableBytes ?? 0)
        return Response(
            status: status,
            headers: fields,
            body: body.map { ResponseBody(byteBuffer: $0) } ?? ResponseBody()
        )
    }

    func body() async throws -> [UInt8] {
        guard let length = request.headers[.contentLength].flatMap({ Int($0) }) else {
            throw BlobError("MissingContentLengthHeader", 411, "The Content-Length header was not specified.")
        }
        guard length <= maxBodyBytes else {
            throw BlobError(
                "RequestBodyTooLarge",
                413,
                "The request body is too large and exceeds the maximum permissible limit."
            )
        }
        var buffer = try await request.body.collect(upTo: maxBodyBytes)
        let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        if let md5 = request.headers[BlobHeader.contentMD5] {
            guard Data(Insecure.MD5.hash(data: bytes)).base64EncodedString() == md5 else {
                throw BlobError(
                    "Md5Mismatch",
                    400,
                    "The MD5 value specified in the request did not match with the MD5 value calculated by the server."
                )
            }
        }
        return bytes
    }

    func metadata() throws -> [(String, String)] {
        var pairs: [(String, String)] = []
        for field in request.headers where field.name.canonicalName.hasPrefix("x-ms-meta-") {
            let name = String(field.name.rawName.dropFirst("x-ms-meta-".count))
            let isIdentifier =
                name.first.map { $0.isLetter || $0 == "_" } == true
                && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
            guard isIdentifier else {
                throw BlobError(
                    "InvalidMetadata",
                    400,
                    "The metadata specified is invalid. It has characters that are not permitted."
                )
            }
            pairs.append((name, field.value))
        }
        return pairs
    }

    func writeHeaders(_ blob: BlobStore.Blob) -> HTTPFields {
        var fields = HTTPFields()
        fields[.eTag] = blob.etag
        fields[.lastModified] = BlobDates.rfc1123(blob.lastModified)
        fields[BlobHeader.serverEncrypted] = "true"
        return fields
    }

    func putBlob() async throws -> Response {
        guard let type = request.headers[BlobHeader.blobType] else { throw BlobError.missingHeader("x-ms-blob-type") }
        guard type == "BlockBlob" else { throw BlobError.invalidHeader("x-ms-blob-type") }
        let stored = try await store.putBlob(blob, in: container, bytes: try await body(), metadata: try metadata())
        var fields = writeHeaders(stored)
        fields[BlobHeader.contentMD5] = stored.contentMD5
        return respond(.created, headers: fields)
    }

    func putBlock() async throws -> Response {
        guard let id = query.first(where: { $0.0 == "blockid" })?.1 else {
            throw BlobError(
                "MissingRequiredQueryParameter",
                400,
                "A query parameter that's mandatory for this request is not specified.\nQueryParameterName:blockid"
            )
        }
        guard let decoded = Data(base64Encoded: id), !decoded.isEmpty, decoded.count <= 64 else {
            throw BlobError.invalidQuery("blockid")
        }
        let bytes = try await body()
        try await store.putBlock(id, of: blob, in: container, bytes: bytes)
        var fields = HTTPFields()
        fields[BlobHeader.contentMD5] = Data(Insecure.MD5.hash(data: bytes)).base64EncodedString()
        fields[BlobHeader.serverEncrypted] = "true"
        return respond(.created, headers: fields)
    }

    func putBlockList() async throws -> Response {
        let xml = String(decoding: try await body(), as: UTF8.self)
        guard let entries = BlobXML.blockList(xml) else {
            throw BlobError("InvalidXmlDocument", 400, "XML specified is not syntactically valid.")
        }
        let stored = try await store.commit(
            entries,
            of: blob,
            in: container,
            metadata: try metadata(),
            contentMD5: request.headers[BlobHeader.blobContentMD5]
        )
        return respond(.created, headers: writeHeaders(stored))
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import InterlinkStorage

/// An Azure Blob error response: a documented error code, its HTTP status and a message.
package struct BlobError: Error, Sendable, Equatable {
    /// The `x-ms-error-code` value, such as `BlobNotFound`.
    package var code: String
    /// The HTTP status the service sends with this code.
    package var status: Int
    /// The human-readable first line of `<Message>`.
    package var message: String

    /// Creates an error.
    package init(_ code: String, _ status: Int, _ message: String) {
        self.code = code
        self.status = status
        self.message = message
    }

    static func authenticationFailed(_ detail: String) -> BlobError {
        BlobError(
            "AuthenticationFailed",
            403,
            "Server failed to authenticate the request. Make sure the value of Authorization header is formed "
                + "correctly including the signature.\n\(detail)"
        )
    }
    static let permissionMismatch = BlobError(
        "AuthorizationPermissionMismatch",
        403,
        "This request is not authorized to perform this operation using this permission."
    )
    static let containerNotFound = BlobError("ContainerNotFound", 404, "The specified container does not exist.")
    static let blobNotFound = BlobError("BlobNotFound", 404, "The specified blob does not exist.")
    static let invalidBlockList = BlobError("InvalidBlockList", 400, "The specified block list is invalid.")
    static let invalidRange = BlobError(
        "InvalidRange",
        416,
        "The range specified is invalid for the current size of the resource."
    )
    static func invalidQuery(_ name: String) -> BlobError {
        BlobError(
            "InvalidQueryParameterValue",
            400,
            "Value for one of the query parameters specified in the request URI is invalid.\nQueryParameterName:\(name)"
        )
    }
    static func missingHeader(_ name: String) -> BlobError {
        BlobError(
            "MissingRequiredHeader",
            400,
            "An HTTP header that's mandatory for this request is not specified.\nHeaderName:\(name)"
        )
    }
    static func invalidHeader(_ name: String) -> BlobError {
        BlobError(
            "InvalidHeaderValue",
            400,
            "The value for one of the HTTP headers is not in the correct format.\nHeaderName:\(name)"
        )
    }

    /// The response: status, `x-ms-error-code`, and (except for `HEAD`) the documented XML body.
    ///
    /// - Parameters:
    ///   - isHead: Whether the request was `HEAD`, whose responses have no body.
    ///   - headers: The common response headers (request id, version, date).
    /// - Returns: The error response.
    package func response(isHead: Bool, headers: HTTPFields) -> Response {
        var fields = headers
        fields[BlobHeader.errorCode] = code
        let requestID = headers[BlobHeader.requestID] ?? ""
        let xml =
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>\(code)</Code><Message>"
            + XMLText.escape("\(message)\nRequestId:\(requestID)\nTime:\(BlobDates.iso8601(Date()))")
            + "</Message></Error>"
        let body = ByteBuffer(string: xml)
        fields[.contentType] = "application/xml"
        fields[.contentLength] = String(body.readableBytes)
        return Response(
            status: HTTPResponse.Status(code: status),
            headers: fields,
            body: isHead ? ResponseBody() : ResponseBody(byteBuffer: body)
        )
    }
}

/// Header names the blob service uses.
enum BlobHeader {
    static let errorCode = field("x-ms-error-code")
    static let requestID = field("x-ms-request-id")
    static let version = field("x-ms-version")
    static let blobType = field("x-ms-blob-type")
    static let range = field("x-ms-range")
    static let contentMD5 = field("Content-MD5")
    static let blobContentMD5 = field("x-ms-blob-content-md5")
    static let rangeGetContentMD5 = field("x-ms-range-get-content-md5")
    static let serverEncrypted = field("x-ms-request-server-encrypted")
    static let creationTime = field("x-ms-creation-time")

    static func field(_ name: String) -> HTTPField.Name {
        guard let field = HTTPField.Name(name) else { preconditionFailure("invalid header name \(name)") }
        return field
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import InterlinkStorage

/// An S3 error response: code, HTTP status and message, rendered as S3's XML error document.
package struct S3Error: Error, Sendable, Equatable {
    /// The S3 error code, such as `NoSuchKey`.
    package var code: String
    /// The HTTP status.
    package var status: Int
    /// The message.
    package var message: String

    /// Creates an error.
    package init(_ code: String, _ status: Int, _ message: String) {
        self.code = code
        self.status = status
        self.message = message
    }

    static func noSuchBucket(_ name: String) -> S3Error {
        S3Error("NoSuchBucket", 404, "The specified bucket does not exist")
    }
    static func noSuchKey(_ key: String) -> S3Error { S3Error("NoSuchKey", 404, "The specified key does not exist.") }
    static let noSuchUpload = S3Error(
        "NoSuchUpload",
        404,
        "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed."
    )
    static let malformedXML = S3Error(
        "MalformedXML",
        400,
        "The XML you provided was not well-formed or did not validate against our published schema"
    )
    static let invalidPart = S3Error(
        "InvalidPart",
        400,
        "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag."
    )
    static let invalidPartOrder = S3Error(
        "InvalidPartOrder",
        400,
        "The list of parts was not in ascending order. Parts must be ordered by part number."
    )
    static let entityTooSmall = S3Error(
        "EntityTooSmall",
        400,
        "Your proposed upload is smaller than the minimum allowed object size."
    )
    static let entityTooLarge = S3Error(
        "EntityTooLarge",
        400,
        "Your proposed upload exceeds the maximum allowed object size."
    )
    static let invalidRange = S3Error("InvalidRange", 416, "The requested range is not satisfiable")
    static let expiredToken = S3Error("ExpiredToken", 400, "The provided token has expired.")
    static let invalidToken = S3Error("InvalidToken", 400, "The provided token is malformed or otherwise invalid.")
    static let invalidAccessKey = S3Error(
        "InvalidAccessKeyId",
        403,
        "The AWS Access Key Id you provided does not exist in our records."
    )
    static let signatureMismatch = S3Error(
        "SignatureDoesNotMatch",
        403,
        "The request signature we calculated does not match the signature you provided. Check your key and signing method."
    )
    static func accessDenied(_ message: String) -> S3Error { S3Error("AccessDenied", 403, message) }
    static func invalidRequest(_ message: String) -> S3Error { S3Error("InvalidRequest", 400, message) }
    static func malformedAuthorization(_ message: String) -> S3Error {
        S3Error("AuthorizationHeaderMalformed", 400, message)
    }

    /// The error response; a `HEAD` gets no body, as S3.
    package func response(isHead: Bool, resource: String) -> Response {
        var fields = HTTPFields()
        let requestID = SimIDs.make(length: 16).uppercased()
        fields[HTTPField.Name("x-amz-request-id") ?? .server] = requestID
        let xml =
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>\(code)</Code><Message>\(XMLText.escape(message))"
            + "</Message><Resource>\(XMLText.escape(resource))</Resource><RequestId>\(requestID)</RequestId></Error>"
        let body = ByteBuffer(string: xml)
        fields[.contentType] = "application/xml"
        fields[.contentLength] = String(isHead ? 0 : body.readableBytes)
        return Response(
            status: HTTPResponse.Status(code: status),
            headers: fields,
            body: isHead ? ResponseBody() : ResponseBody(byteBuffer: body)
        )
    }
}

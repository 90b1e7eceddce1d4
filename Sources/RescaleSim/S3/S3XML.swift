import Foundation
import InterlinkStorage

/// The XML the S3 subset reads (CompleteMultipartUpload) and writes (results and errors).
enum S3XML {
    /// One part a CompleteMultipartUpload body lists.
    struct ListedPart: Sendable {
        var number: Int
        var etag: String
        /// Its `ChecksumCRC32`, if given (other checksum elements are ignored).
        var crc32: String?
    }

    /// The parts of a CompleteMultipartUpload body, in document order.
    ///
    /// Returns `nil` for a body that is not a `CompleteMultipartUpload` document or has a part without a number or
    /// tag.
    static func completedParts(_ xml: String) -> [ListedPart]? {
        guard let rootStart = xml.range(of: "<CompleteMultipartUpload"),
            xml.range(of: "</CompleteMultipartUpload>", range: rootStart.upperBound..<xml.endIndex) != nil
        else { return nil }
        var parts: [ListedPart] = []
        var cursor = rootStart.upperBound
        while let open = xml.range(of: "<Part>", range: cursor..<xml.endIndex) {
            guard let close = xml.range(of: "</Part>", range: open.upperBound..<xml.endIndex) else { return nil }
            let body = xml[open.upperBound..<close.lowerBound]
            guard let number = element("PartNumber", in: body).flatMap({ Int($0) }),
                let etag = element("ETag", in: body)
            else { return nil }
            let crc32 = element("ChecksumCRC32", in: body).map { XMLText.unescape($0) }
            parts.append(ListedPart(number: number, etag: XMLText.unescape(etag), crc32: crc32))
            cursor = close.upperBound
        }
        return parts
    }

    private static func element(_ name: String, in text: Substring) -> Substring? {
        guard let open = text.range(of: "<\(name)>"),
            let close = text.range(of: "</\(name)>", range: open.upperBound..<text.endIndex)
        else { return nil }
        return text[open.upperBound..<close.lowerBound]
    }

    /// A document with one root element holding simple child elements.
    static func document(_ root: String, _ children: [(String, String)], extra: String = "") -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<\(root) xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
            + children.map { "<\($0.0)>\(XMLText.escape($0.1))</\($0.0)>" }.joined() + extra + "</\(root)>"
    }
}

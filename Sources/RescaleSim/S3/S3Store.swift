import Crypto
import Foundation

/// The built-in S3 subset's data: objects with user metadata, and multipart uploads in progress.
package actor S3Store {
    /// A stored object.
    package struct Object: Sendable {
        /// The content.
        package var bytes: [UInt8]
        /// User metadata, names lower-cased (as S3 returns them).
        package var metadata: [String: String]
        /// The quoted entity tag.
        package var etag: String
        /// When it was written.
        package var lastModified: Date
    }

    /// One uploaded part.
    package struct Part: Sendable {
        /// The content.
        package var bytes: [UInt8]
        /// The quoted MD5 entity tag.
        package var etag: String
        /// When it was uploaded.
        package var lastModified: Date
    }

    struct Upload {
        var bucket: String
        var key: String
        var metadata: [String: String]
        var parts: [Int: Part] = [:]
    }

    /// The smallest size of every part but the last, as S3 enforces at completion.
    package static let minimumPartSize = 5 << 20

    private var buckets: [String: [String: Object]] = [:]
    private var uploads: [String: Upload] = [:]

    /// Creates a store with the given (empty) buckets.
    package init(buckets: [String]) {
        for name in buckets { self.buckets[name] = [:] }
    }

    /// A stored object, for handlers and tests.
    package func object(_ key: String, in bucket: String) throws(S3Error) -> Object {
        guard let objects = buckets[bucket] else { throw .noSuchBucket(bucket) }
        guard let object = objects[key] else { throw .noSuchKey(key) }
        return object
    }

    /// PutObject.
    @discardableResult
    package func put(_ key: String, in bucket: String, bytes: [UInt8], metadata: [String: String]) throws(S3Error)
        -> Object
    {
        guard buckets[bucket] != nil else { throw .noSuchBucket(bucket) }
        let object = Object(bytes: bytes, metadata: metadata, etag: Self.etag(of: bytes), lastModified: Date())
        buckets[bucket]?[key] = object
        return object
    }

    /// DeleteObject (no error when absent, as S3).
    package func delete(_ key: String, in bucket: String) throws(S3Error) {
        guard buckets[bucket] != nil else { throw .noSuchBucket(bucket) }
        buckets[bucket]?[key] = nil
    }

    /// CreateMultipartUpload: returns the upload id.
    package func createUpload(_ key: String, in bucket: String, metadata: [String: String]) throws(S3Error) -> String {
        guard buckets[bucket] != nil else { throw .noSuchBucket(bucket) }
        let id = SimIDs.make(length: 32)
        uploads[id] = Upload(bucket: bucket, key: key, metadata: metadata)
        return id
    }

    /// UploadPart: stores (or replaces) a part and returns its entity tag.
    package func uploadPart(_ number: Int, bytes: [UInt8], upload id: String, key: String, bucket: String)
        throws(S3Error) -> String
    {
        guard let upload = uploads[id], upload.key == key, upload.bucket == bucket else { throw .noSuchUpload }
        let part = Part(bytes: bytes, etag: Self.etag(of: bytes), lastModified: Date())
        uploads[id]?.parts[number] = part
        return part.etag
    }

    /// ListParts: the parts so far, by number.
    package func parts(of id: String, key: String, bucket: String) throws(S3Error) -> [(Int, Part)] {
        guard let upload = uploads[id], upload.key == key, upload.bucket == bucket else { throw .noSuchUpload }
        return upload.parts.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// AbortMultipartUpload.
    package func abort(_ id: String, key: String, bucket: String) throws(S3Error) {
        guard let upload = uploads[id], upload.key == key, upload.bucket == bucket else { throw .noSuchUpload }
        uploads[id] = nil
    }

    /// CompleteMultipartUpload: checks order, entity tags and sizes, then writes the object.
    ///
    /// - Returns: The object, whose entity tag is the MD5 of the part MD5s followed by `-<count>`.
    package func complete(_ id: String, key: String, bucket: String, parts listed: [(Int, String)]) throws(S3Error)
        -> Object
    {
        guard let upload = uploads[id], upload.key == key, upload.bucket == bucket else { throw .noSuchUpload }
        guard !listed.isEmpty else { throw .malformedXML }
        var bytes: [UInt8] = []
        var digests: [UInt8] = []
        var previous = 0
        for (index, (number, etag)) in listed.enumerated() {
            guard number > previous else { throw .invalidPartOrder }
            previous = number
            guard let part = upload.parts[number], Self.unquote(part.etag) == Self.unquote(etag) else {
                throw .invalidPart
            }
            if index < listed.count - 1, part.bytes.count < Self.minimumPartSize { throw .entityTooSmall }
            bytes += part.bytes
            digests += Array(Insecure.MD5.hash(data: part.bytes))
        }
        let etag = "\"\(Self.hex(Insecure.MD5.hash(data: digests)))-\(listed.count)\""
        let object = Object(bytes: bytes, metadata: upload.metadata, etag: etag, lastModified: Date())
        buckets[bucket]?[key] = object
        uploads[id] = nil
        return object
    }

    private static func etag(of bytes: [UInt8]) -> String { "\"\(hex(Insecure.MD5.hash(data: bytes)))\"" }

    private static func unquote(_ text: String) -> String {
        text.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}

import Foundation
import InterlinkCrypto

/// The built-in S3 subset's data: objects with user metadata, and multipart uploads in progress.
///
/// Contents live in files under the work root (``S3Files``); the actor holds only their index, so an object of any
/// size costs a few hundred bytes of memory. Every change of the index happens in one actor turn; file work
/// happens outside it.
package actor S3Store {
    /// One file of an object's content: the whole body of a PutObject, or one part of a multipart upload.
    package struct Segment: Sendable, Hashable {
        /// The file.
        package var path: String
        /// Its size in bytes.
        package var size: Int
    }

    /// A stored object.
    package struct Object: Sendable {
        /// The files holding the content, in order: a completed multipart upload keeps its parts' files as they
        /// are, so completing it copies nothing.
        package var segments: [Segment]
        /// The segments' paths, in order.
        package var paths: [String] { segments.map(\.path) }
        /// The content's size in bytes.
        package var size: Int
        /// User metadata, names lower-cased (as S3 returns them).
        package var metadata: [String: String]
        /// The quoted entity tag.
        package var etag: String
        /// When it was written.
        package var lastModified: Date
    }

    /// One uploaded part.
    package struct Part: Sendable {
        /// The file holding the content.
        package var path: String
        /// The content's size in bytes.
        package var size: Int
        /// The entity tag's 16 bytes: random for a received body, unique to every upload.
        package var tag: [UInt8]
        /// The quoted entity tag.
        package var etag: String
        /// When it was uploaded.
        package var lastModified: Date
        /// Its base64 CRC-32, when the request carried one (checked on arrival).
        package var crc32: String? = nil
    }

    struct Upload {
        var bucket: String
        var key: String
        var metadata: [String: String]
        /// The checksum algorithm given at create (`CRC32`), which every part and the completion must then carry.
        var checksumAlgorithm: String?
        var parts: [Int: Part] = [:]
    }

    /// The smallest size of every part but the last, as S3 enforces at completion.
    package static let minimumPartSize = 5 << 20

    /// Where the contents are kept.
    nonisolated let files: S3Files
    private var buckets: [String: [String: Object]] = [:]
    private var uploads: [String: Upload] = [:]
    /// The multipart uploads begun and neither completed nor aborted.
    package var uploadsInProgress: Int { uploads.count }
    /// Parts received, by the checksum they carried: `CRC32` or `none` (for `/_sim/counts`).
    package private(set) var partChecksums: [String: Int] = [:]

    /// Creates a store with the given (empty) buckets.
    ///
    /// - Parameters:
    ///   - buckets: The bucket names.
    ///   - directory: Where object and part files are written (made on first use).
    package init(buckets: [String], directory: String) {
        for name in buckets { self.buckets[name] = [:] }
        files = S3Files(directory: directory)
    }

    /// A stored object, for handlers and tests.
    package func object(_ key: String, in bucket: String) throws(S3Error) -> Object {
        guard let objects = buckets[bucket] else { throw .noSuchBucket(bucket) }
        guard let object = objects[key] else { throw .noSuchKey(key) }
        return object
    }

    /// A stored object's content, read whole (for the job runner and tests).
    package func contents(of key: String, in bucket: String) async throws(S3Error) -> [UInt8] {
        try await files.contents(of: object(key, in: bucket).paths)
    }

    /// PutObject from bytes in memory (objects the simulator itself writes, and tests).
    @discardableResult
    package func put(_ key: String, in bucket: String, bytes: [UInt8], metadata: [String: String])
        async throws(S3Error) -> Object
    {
        guard buckets[bucket] != nil else { throw .noSuchBucket(bucket) }
        let path = try await files.store(bytes)
        let received = S3BodyReceiver.Received(
            path: path,
            size: bytes.count,
            tag: Array(Insecure.MD5.hash(data: bytes))
        )
        return try await put(key, in: bucket, received: received, metadata: metadata)
    }

    /// PutObject of a received body; the store takes over its file.
    func put(_ key: String, in bucket: String, received: S3BodyReceiver.Received, metadata: [String: String])
        async throws(S3Error) -> Object
    {
        guard buckets[bucket] != nil else {
            await files.remove([received.path])
            throw .noSuchBucket(bucket)
        }
        let object = Object(
            segments: [Segment(path: received.path, size: received.size)],
            size: received.size,
            metadata: metadata,
            etag: "\"\(Self.hex(received.tag))\"",
            lastModified: Date()
        )
        let replaced = buckets[bucket]?.updateValue(object, forKey: key)
        await files.remove(replaced?.paths ?? [])
        return object
    }

    /// DeleteObject (no error when absent, as S3).
    package func delete(_ key: String, in bucket: String) async throws(S3Error) {
        guard buckets[bucket] != nil else { throw .noSuchBucket(bucket) }
        let removed = buckets[bucket]?.removeValue(forKey: key)
        await files.remove(removed?.paths ?? [])
    }

    /// CreateMultipartUpload.
    ///
    /// - Parameters:
    ///   - key: The object's key.
    ///   - bucket: Its bucket.
    ///   - metadata: The user metadata to store at completion.
    ///   - checksumAlgorithm: `x-amz-checksum-algorithm`, if given: only `CRC32` is implemented.
    /// - Returns: The upload id.
    /// - Throws: `NoSuchBucket`; `NotImplemented` for another checksum algorithm.
    package func createUpload(
        _ key: String,
        in bucket: String,
        metadata: [String: String],
        checksumAlgorithm: String? = nil
    ) throws(S3Error) -> String {
        guard buckets[bucket] != nil else { throw .noSuchBucket(bucket) }
        let algorithm = checksumAlgorithm?.uppercased()
        if let algorithm, algorithm != "CRC32" {
            throw S3Error("NotImplemented", 501, "The emulator checks CRC32 checksums only, not \(algorithm).")
        }
        let id = SimIDs.make(length: 32)
        uploads[id] = Upload(bucket: bucket, key: key, metadata: metadata, checksumAlgorithm: algorithm)
        return id
    }

    /// UploadPart: stores (or replaces) a part from its received file and returns its entity tag.
    func uploadPart(
        _ number: Int,
        received: S3BodyReceiver.Received,
        upload id: String,
        key: String,
        bucket: String
    ) async throws(S3Error) -> String {
        guard let upload = uploads[id], upload.key == key, upload.bucket == bucket else {
            await files.remove([received.path])
            throw .noSuchUpload
        }
        if let algorithm = upload.checksumAlgorithm, received.crc32 == nil {
            await files.remove([received.path])
            throw .invalidRequest(
                "Checksum Type mismatch occurred, expected checksum Type: \(algorithm.lowercased()), actual checksum Type: null"
            )
        }
        partChecksums[received.crc32 == nil ? "none" : "CRC32", default: 0] += 1
        let part = Part(
            path: received.path,
            size: received.size,
            tag: received.tag,
            etag: "\"\(Self.hex(received.tag))\"",
            lastModified: Date(),
            crc32: received.crc32
        )
        let replaced = uploads[id]?.parts.updateValue(part, forKey: number)
        await files.remove(replaced.map { [$0.path] } ?? [])
        return part.etag
    }

    /// ListParts: the parts so far, by number.
    package func parts(of id: String, key: String, bucket: String) throws(S3Error) -> [(Int, Part)] {
        guard let upload = uploads[id], upload.key == key, upload.bucket == bucket else { throw .noSuchUpload }
        return upload.parts.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// AbortMultipartUpload.
    package func abort(_ id: String, key: String, bucket: String) async throws(S3Error) {
        guard let upload = uploads[id], upload.key == key, upload.bucket == bucket else { throw .noSuchUpload }
        uploads[id] = nil
        await files.remove(upload.parts.values.map(\.path))
    }

    /// CompleteMultipartUpload: checks order, entity tags and sizes, then makes the listed parts' files the object's
    /// segments (nothing is copied; parts uploaded but not listed are removed).
    ///
    /// The upload leaves the index when the check passes, in the same actor turn as the object enters it (so a
    /// concurrent abort or second completion gets `NoSuchUpload`).
    ///
    /// An upload created with a checksum algorithm needs each listed part's checksum, equal to the one it was
    /// uploaded with (`InvalidRequest` when missing, `InvalidPart` when different).
    ///
    /// - Returns: The object, whose entity tag is the MD5 of the part tags followed by `-<count>`.
    func complete(_ id: String, key: String, bucket: String, parts listed: [S3XML.ListedPart])
        async throws(S3Error) -> Object
    {
        guard let upload = uploads[id], upload.key == key, upload.bucket == bucket else { throw .noSuchUpload }
        guard !listed.isEmpty else { throw .malformedXML }
        var chosen: [Part] = []
        var previous = 0
        for (index, listedPart) in listed.enumerated() {
            let number = listedPart.number
            guard number > previous else { throw .invalidPartOrder }
            previous = number
            guard let part = upload.parts[number], Self.unquote(part.etag) == Self.unquote(listedPart.etag) else {
                throw .invalidPart
            }
            if let algorithm = upload.checksumAlgorithm {
                guard let given = listedPart.crc32 else {
                    throw .invalidRequest(
                        "The upload was created using a \(algorithm.lowercased()) checksum. The complete request must "
                            + "include the checksum for each part. It was missing for part \(number) in the request."
                    )
                }
                guard given == part.crc32 else { throw .invalidPart }
            }
            if index < listed.count - 1, part.size < Self.minimumPartSize { throw .entityTooSmall }
            chosen.append(part)
        }
        uploads[id] = nil
        let kept = Set(chosen.map(\.path))
        let digests = chosen.flatMap(\.tag)
        let object = Object(
            segments: chosen.map { Segment(path: $0.path, size: $0.size) },
            size: chosen.reduce(0) { $0 + $1.size },
            metadata: upload.metadata,
            etag: "\"\(Self.hex(Insecure.MD5.hash(data: digests)))-\(listed.count)\"",
            lastModified: Date()
        )
        let replaced = buckets[bucket]?.updateValue(object, forKey: key)
        await files.remove(upload.parts.values.map(\.path).filter { !kept.contains($0) } + (replaced?.paths ?? []))
        return object
    }

    private static func unquote(_ text: String) -> String {
        text.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}

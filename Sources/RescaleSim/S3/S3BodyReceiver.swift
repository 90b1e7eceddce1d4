import CSystemCodecs
import Hummingbird
import InterlinkCrypto
import InterlinkStorage
import NIOCore

/// Receives a PutObject or UploadPart body into a file as it arrives, decoding `aws-chunked` and checking the declared
/// payload hash (when there is one: `UNSIGNED-PAYLOAD` bodies are not hashed at all) and the size limit.
///
/// At most about ``flushSize`` bytes of the body are held in memory at once, whatever its size. The entity tag is
/// not the body's MD5 but 16 random bytes, as S3 itself does for objects encrypted with SSE-KMS: no client may rely
/// on an ETag being an MD5, and hashing every byte was a large part of the emulator's cost per byte.
struct S3BodyReceiver {
    /// What was received: the file, its size and its entity tag.
    struct Received: Sendable {
        /// The file holding the (decoded) body.
        var path: String
        /// The body's size in bytes.
        var size: Int
        /// The entity tag's 16 bytes (random for a received body, unique for every upload).
        var tag: [UInt8]
        /// The base64 CRC-32 of the body, when the request declared one (and it matched).
        var crc32: String? = nil
    }

    /// What a request says about its body's checksum.
    enum DeclaredChecksum: Sendable, Equatable {
        /// Nothing.
        case none
        /// A CRC-32 in the `x-amz-checksum-crc32` header (base64).
        case header(String)
        /// A CRC-32 in an `aws-chunked` trailer (`x-amz-trailer: x-amz-checksum-crc32`).
        case trailer

        /// The checksum a request declares, from its headers (names lower-cased).
        ///
        /// - Throws: `NotImplemented` for an algorithm other than CRC32 (this emulator checks CRC32 only), and
        ///   `InvalidRequest` for a trailer announced on a body that is not `aws-chunked`.
        static func of(_ headers: [(String, String)], payload: String) throws(S3Error) -> DeclaredChecksum {
            let value = { (name: String) in headers.first { $0.0 == name }?.1 }
            let named = headers.map(\.0).filter { $0.hasPrefix("x-amz-checksum-") && $0 != "x-amz-checksum-algorithm" }
            let trailer = value("x-amz-trailer")?.lowercased()
            for name in named + (trailer.map { [$0] } ?? []) where name != S3BodyReceiver.crc32Name {
                throw S3Error(
                    "NotImplemented",
                    501,
                    "The emulator checks CRC32 checksums only; \(name) is not implemented."
                )
            }
            if trailer != nil {
                guard payload.hasPrefix("STREAMING-") else {
                    throw .invalidRequest("x-amz-trailer needs an aws-chunked body (a STREAMING- payload hash)")
                }
                return .trailer
            }
            return value(S3BodyReceiver.crc32Name).map { .header($0) } ?? .none
        }
    }

    /// The header (or trailer) of a CRC-32, the one checksum the emulator checks.
    static let crc32Name = "x-amz-checksum-crc32"

    /// How many decoded bytes are gathered before each write to the file.
    static let flushSize = 1 << 20

    let files: S3Files
    /// The largest body accepted, in bytes.
    let limit: Int

    /// Streams `body` into a new file.
    ///
    /// - Parameters:
    ///   - body: The request body.
    ///   - payload: The `x-amz-content-sha256` value: a hex SHA-256, `UNSIGNED-PAYLOAD` or `STREAMING-…`.
    ///   - checksum: The CRC-32 the request declares, checked against the bytes received.
    ///   - decodedLength: `x-amz-decoded-content-length` of an `aws-chunked` body, checked when given.
    /// - Returns: The received file; the caller owns it.
    /// - Throws: `EntityTooLarge`, `IncompleteBody`, `XAmzContentSHA256Mismatch`, `BadDigest`, `InvalidRequest`,
    ///   `InternalError`; the file is removed.
    func receive(
        _ body: RequestBody,
        payload: String,
        checksum: DeclaredChecksum = .none,
        decodedLength: Int? = nil
    ) async throws -> Received {
        let writer = try await files.create()
        do {
            let received = try await copy(
                body,
                payload: payload,
                checksum: checksum,
                decodedLength: decodedLength,
                into: writer
            )
            await files.close(writer, keep: true)
            return received
        } catch {
            await files.close(writer, keep: false)
            throw error
        }
    }

    private func copy(
        _ body: RequestBody,
        payload: String,
        checksum: DeclaredChecksum,
        decodedLength: Int?,
        into writer: S3Files.Writer
    ) async throws -> Received {
        let isChunked = payload.hasPrefix("STREAMING-")
        let expected = isChunked || payload == "UNSIGNED-PAYLOAD" ? nil : payload.lowercased()
        var chunked = AWSChunked()
        var sha256 = SHA256()
        var crc: UInt32? = checksum == .none ? nil : 0
        var size = 0
        var pending: [UInt8] = []
        pending.reserveCapacity(Self.flushSize)
        for try await buffer in body {
            let before = pending.count
            try buffer.withUnsafeReadableBytes { (bytes) throws(S3Error) in
                if isChunked {
                    try chunked.feed(bytes, into: &pending)
                } else {
                    pending.append(contentsOf: bytes)
                }
            }
            size += pending.count - before
            guard size <= limit else { throw S3Error.entityTooLarge }
            if pending.count >= Self.flushSize {
                try await flush(&pending, writer, &sha256, hashing: expected != nil, crc: &crc)
            }
        }
        if isChunked { try chunked.finish() }
        try await flush(&pending, writer, &sha256, hashing: expected != nil, crc: &crc)
        if let expected, S3Store.hex(sha256.finalize()) != expected {
            throw S3Error(
                "XAmzContentSHA256Mismatch",
                400,
                "The provided 'x-amz-content-sha256' header does not match what was computed."
            )
        }
        if isChunked, let decodedLength, decodedLength != size {
            throw S3Error(
                "IncompleteBody",
                400,
                "You did not provide the number of bytes specified by the x-amz-decoded-content-length header."
            )
        }
        var declared: String?
        switch checksum {
        case .none: declared = nil
        case .header(let value): declared = value
        case .trailer:
            declared = chunked.trailer(S3BodyReceiver.crc32Name)
            guard declared != nil else {
                throw S3Error(
                    "IncompleteBody",
                    400,
                    "The trailer x-amz-trailer announced (\(S3BodyReceiver.crc32Name)) is missing."
                )
            }
        }
        let computed = crc.map(S3ChecksumTrailer.base64)
        if let declared, declared != computed {
            throw S3Error("BadDigest", 400, "The CRC32 you specified did not match the calculated checksum.")
        }
        var random = SystemRandomNumberGenerator()
        let tag = (0..<16).map { _ in UInt8.random(in: 0...255, using: &random) }
        return Received(path: writer.path, size: size, tag: tag, crc32: computed)
    }

    private func flush(
        _ pending: inout [UInt8],
        _ writer: S3Files.Writer,
        _ sha256: inout SHA256,
        hashing: Bool,
        crc: inout UInt32?
    ) async throws(S3Error) {
        guard !pending.isEmpty else { return }
        if hashing { sha256.update(data: pending) }
        if let running = crc { crc = pending.withUnsafeBytes { il_crc32(running, $0.baseAddress, $0.count) } }
        try await files.write(pending, to: writer)
        // The write has returned, so the buffer is ours alone again: reuse it instead of faulting in a new one.
        pending.removeAll(keepingCapacity: true)
    }
}

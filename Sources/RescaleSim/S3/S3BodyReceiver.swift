import Hummingbird
import InterlinkCrypto
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
    }

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
    /// - Returns: The received file; the caller owns it.
    /// - Throws: `EntityTooLarge`, `IncompleteBody`, `XAmzContentSHA256Mismatch`, `InternalError`; the file is removed.
    func receive(_ body: RequestBody, payload: String) async throws -> Received {
        let writer = try await files.create()
        do {
            let received = try await copy(body, payload: payload, into: writer)
            await files.close(writer, keep: true)
            return received
        } catch {
            await files.close(writer, keep: false)
            throw error
        }
    }

    private func copy(_ body: RequestBody, payload: String, into writer: S3Files.Writer) async throws -> Received {
        let isChunked = payload.hasPrefix("STREAMING-")
        let expected = isChunked || payload == "UNSIGNED-PAYLOAD" ? nil : payload.lowercased()
        var chunked = AWSChunked()
        var sha256 = SHA256()
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
                try await flush(&pending, writer, &sha256, hashing: expected != nil)
            }
        }
        if isChunked { try chunked.finish() }
        try await flush(&pending, writer, &sha256, hashing: expected != nil)
        if let expected, S3Store.hex(sha256.finalize()) != expected {
            throw S3Error(
                "XAmzContentSHA256Mismatch",
                400,
                "The provided 'x-amz-content-sha256' header does not match what was computed."
            )
        }
        var random = SystemRandomNumberGenerator()
        let tag = (0..<16).map { _ in UInt8.random(in: 0...255, using: &random) }
        return Received(path: writer.path, size: size, tag: tag)
    }

    private func flush(
        _ pending: inout [UInt8],
        _ writer: S3Files.Writer,
        _ sha256: inout SHA256,
        hashing: Bool
    ) async throws(S3Error) {
        guard !pending.isEmpty else { return }
        if hashing { sha256.update(data: pending) }
        try await files.write(pending, to: writer)
        // The write has returned, so the buffer is ours alone again: reuse it instead of faulting in a new one.
        pending.removeAll(keepingCapacity: true)
    }
}

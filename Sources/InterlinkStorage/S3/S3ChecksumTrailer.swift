import CSystemCodecs
import Foundation
import NIOCore
import Synchronization

/// A streamed S3 part body sent `aws-chunked` with its CRC-32 in a trailer, so S3 checks every part's bytes on
/// arrival although the checksum is known only once the last byte has been produced.
///
/// The payload goes as one aws-chunk, as the AWS SDK for Go v2 sends a body of known length, so the encoded length
/// is known before the first byte (`Content-Length`):
///
///     <payload length in hex>\r\n
///     <payload>\r\n
///     0\r\n
///     x-amz-checksum-crc32:<base64 of the big-endian CRC-32>\r\n
///     \r\n
///
/// The request carries `Content-Encoding: aws-chunked`, `x-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER`,
/// `x-amz-decoded-content-length` and `x-amz-trailer` (``headers``). One trailer serves one attempt: a retry
/// produces the part again and sums it again.
package final class S3ChecksumTrailer: Sendable {
    /// The trailer's name, as `x-amz-trailer` announces it.
    package static let name = "x-amz-checksum-crc32"
    /// The payload hash a trailer-carrying unsigned body is signed with.
    package static let payloadHash = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
    /// The algorithm a multipart upload is created with when its parts carry this trailer.
    package static let algorithm = "CRC32"

    /// The payload's length in bytes (the part's).
    package let payloadLength: Int
    private let crc = Mutex<UInt32>(0)

    /// Creates the framing of one attempt at a part.
    ///
    /// - Parameter payloadLength: The part's exact length.
    package init(payloadLength: Int) {
        precondition(payloadLength >= 0, "a part has a length")
        self.payloadLength = payloadLength
    }

    /// The headers that announce the framing (besides the payload hash the request is signed with).
    package var headers: [(String, String)] {
        [
            ("content-encoding", "aws-chunked"),
            ("x-amz-decoded-content-length", String(payloadLength)),
            ("x-amz-trailer", Self.name),
        ]
    }

    /// What goes before the payload: its length in hex and a line end.
    package var prefix: ByteBuffer { ByteBuffer(string: String(payloadLength, radix: 16) + "\r\n") }

    /// What goes after the payload: the end of its chunk, the empty last chunk and the trailer with the CRC-32 of
    /// every byte passed to ``update(_:)``.
    package var suffix: ByteBuffer { ByteBuffer(string: "\r\n0\r\n\(Self.name):\(checksum)\r\n\r\n") }

    /// The body's length on the wire: the payload and its framing (the base64 of 4 bytes is always 8 characters).
    package var encodedLength: Int {
        let framing = "\r\n0\r\n\(Self.name):\r\n\r\n".utf8.count + 8
        return String(payloadLength, radix: 16).utf8.count + 2 + payloadLength + framing
    }

    /// Adds payload bytes to the checksum, in the order they are sent.
    package func update(_ chunk: ByteBuffer) {
        chunk.withUnsafeReadableBytes { bytes in
            crc.withLock { $0 = il_crc32($0, bytes.baseAddress, bytes.count) }
        }
    }

    /// The base64 of the big-endian CRC-32 of the payload so far: S3's `ChecksumCRC32`.
    package var checksum: String { Self.base64(crc.withLock { $0 }) }

    /// S3's `ChecksumCRC32` of a whole body (a part held in memory, sent with the checksum as a header).
    package static func checksum(of bytes: ByteBuffer) -> String {
        base64(bytes.withUnsafeReadableBytes { il_crc32(0, $0.baseAddress, $0.count) })
    }

    /// S3's text of a CRC-32: the base64 of its 4 big-endian bytes (the emulator formats what it computes with this).
    package static func base64(_ crc: UInt32) -> String {
        withUnsafeBytes(of: crc.bigEndian) { Data($0).base64EncodedString() }
    }

    /// The payload chunks framed: the prefix, each chunk as it comes (summed on the way), then the suffix.
    ///
    /// - Parameter chunks: The part's payload.
    /// - Returns: The body to send, ``encodedLength`` bytes in all.
    package func framing<Chunks: AsyncSequence & Sendable>(_ chunks: Chunks) -> Framed<Chunks>
    where Chunks.Element == ByteBuffer {
        Framed(trailer: self, chunks: chunks)
    }

    /// A payload between its aws-chunked prefix and suffix.
    package struct Framed<Chunks: AsyncSequence & Sendable>: AsyncSequence, Sendable
    where Chunks.Element == ByteBuffer {
        package typealias Element = ByteBuffer
        let trailer: S3ChecksumTrailer
        let chunks: Chunks

        package func makeAsyncIterator() -> Iterator {
            Iterator(trailer: trailer, chunks: chunks.makeAsyncIterator())
        }

        /// Hands out the prefix, the payload's chunks, then the suffix.
        package struct Iterator: AsyncIteratorProtocol {
            let trailer: S3ChecksumTrailer
            var chunks: Chunks.AsyncIterator
            var stage = Stage.prefix

            enum Stage {
                case prefix, payload, done
            }

            package mutating func next() async throws -> ByteBuffer? {
                switch stage {
                case .prefix:
                    stage = .payload
                    return trailer.prefix
                case .payload:
                    if let chunk = try await chunks.next() {
                        trailer.update(chunk)
                        return chunk
                    }
                    stage = .done
                    return trailer.suffix
                case .done:
                    return nil
                }
            }
        }
    }
}

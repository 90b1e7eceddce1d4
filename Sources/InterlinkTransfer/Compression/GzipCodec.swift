import CZlib

/// gzip through zlib: deflate with a gzip wrapper (mtime 0, so output is deterministic), or inflate of one or more
/// concatenated gzip members.
final class GzipCodec: StreamCodec {
    private var stream = z_stream()
    private let compressing: Bool
    /// Inflate: inside a member whose end has not been seen.
    private var inMember = false

    /// Starts a compressor at `level` (0–9).
    init(compressingAt level: Int32) throws(TransferError) {
        compressing = true
        let status = deflateInit2_(
            &stream,
            level,
            Z_DEFLATED,
            15 + 16,
            8,
            Z_DEFAULT_STRATEGY,
            ZLIB_VERSION,
            Int32(MemoryLayout<z_stream>.size)
        )
        guard status == Z_OK else { throw Self.failure("cannot start gzip compression (\(status))") }
    }

    /// Starts a decompressor.
    init(decompressing: Void) throws(TransferError) {
        compressing = false
        let status = inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw Self.failure("cannot start gzip decompression (\(status))") }
    }

    deinit {
        if compressing { deflateEnd(&stream) } else { inflateEnd(&stream) }
    }

    func process(input: UnsafeRawBufferPointer, output: UnsafeMutableRawBufferPointer, finishing: Bool)
        throws(TransferError) -> (consumed: Int, produced: Int, ended: Bool)
    {
        guard let outputBase = output.baseAddress, output.count > 0 else { return (0, 0, false) }
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = UInt32(min(input.count, Int(UInt32.max)))
        stream.next_out = outputBase.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = UInt32(min(output.count, Int(UInt32.max)))
        let availableIn = stream.avail_in
        let availableOut = stream.avail_out
        let status = compressing ? deflate(&stream, finishing ? Z_FINISH : Z_NO_FLUSH) : inflate(&stream, Z_NO_FLUSH)
        let consumed = Int(availableIn - stream.avail_in)
        let produced = Int(availableOut - stream.avail_out)
        if compressing {
            guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                throw Self.failure("gzip compression failed (\(status))")
            }
            return (consumed, produced, status == Z_STREAM_END)
        }
        switch status {
        case Z_STREAM_END:
            inMember = false
            inflateReset(&stream)
        case Z_OK:
            if consumed > 0 || produced > 0 { inMember = true }
        case Z_BUF_ERROR:
            break
        default:
            throw Self.failure("corrupt gzip data (\(Self.message(stream.msg)))")
        }
        guard finishing, consumed == input.count, produced < output.count else { return (consumed, produced, false) }
        if inMember, produced == 0 { throw Self.failure("the gzip stream is truncated") }
        return (consumed, produced, !inMember)
    }

    private static func message(_ text: UnsafePointer<CChar>?) -> String {
        text.map { String(cString: $0) } ?? "unknown error"
    }

    private static func failure(_ text: String) -> TransferError {
        TransferError(path: "gzip", reason: .compression(text))
    }
}

import CSystemCodecs

/// gzip through the system's zlib (`libz.so.1`, loaded on first use): deflate with a gzip wrapper (mtime 0, so
/// output is deterministic), or inflate of one or more concatenated gzip members.
final class GzipCodec: StreamCodec {
    private var stream = il_z_stream()
    private let compressing: Bool
    /// Inflate: inside a member whose end has not been seen.
    private var inMember = false

    /// Starts a compressor at `level` (0–9).
    init(compressingAt level: Int32) throws(TransferError) {
        try SystemLibrary.zlib.load()
        compressing = true
        let status = il_deflate_init(&stream, level, 15 + 16, 8, IL_Z_DEFAULT_STRATEGY)
        guard status == IL_Z_OK else { throw Self.failure("cannot start gzip compression (\(status))") }
    }

    /// Starts a decompressor.
    init(decompressing: Void) throws(TransferError) {
        try SystemLibrary.zlib.load()
        compressing = false
        let status = il_inflate_init(&stream, 15 + 16)
        guard status == IL_Z_OK else { throw Self.failure("cannot start gzip decompression (\(status))") }
    }

    deinit {
        if compressing { il_deflate_end(&stream) } else { il_inflate_end(&stream) }
    }

    func process(input: UnsafeRawBufferPointer, output: UnsafeMutableRawBufferPointer, finishing: Bool)
        throws(TransferError) -> (consumed: Int, produced: Int, ended: Bool)
    {
        guard let outputBase = output.baseAddress, output.count > 0 else { return (0, 0, false) }
        stream.next_in = input.baseAddress?.assumingMemoryBound(to: UInt8.self)
        stream.avail_in = UInt32(min(input.count, Int(UInt32.max)))
        stream.next_out = outputBase.assumingMemoryBound(to: UInt8.self)
        stream.avail_out = UInt32(min(output.count, Int(UInt32.max)))
        let availableIn = stream.avail_in
        let availableOut = stream.avail_out
        let flush = finishing ? IL_Z_FINISH : IL_Z_NO_FLUSH
        let status = compressing ? il_deflate(&stream, flush) : il_inflate(&stream, IL_Z_NO_FLUSH)
        let consumed = Int(availableIn - stream.avail_in)
        let produced = Int(availableOut - stream.avail_out)
        let ok = IL_Z_OK
        let streamEnd = IL_Z_STREAM_END
        let bufferError = IL_Z_BUF_ERROR
        if compressing {
            guard status == ok || status == streamEnd || status == bufferError else {
                throw Self.failure("gzip compression failed (\(status))")
            }
            return (consumed, produced, status == streamEnd)
        }
        switch status {
        case streamEnd:
            inMember = false
            il_inflate_reset(&stream)
        case ok:
            if consumed > 0 || produced > 0 { inMember = true }
        case bufferError:
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

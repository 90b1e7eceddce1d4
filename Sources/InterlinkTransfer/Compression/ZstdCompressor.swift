import CSystemCodecs

/// zstd compression through `ZSTD_compressStream2` of the system's `libzstd.so.1` (loaded on first use),
/// single-threaded (so output is deterministic), with the frame checksum on as the `zstd` program writes it.
final class ZstdCompressor: StreamCodec {
    private let context: UnsafeMutableRawPointer
    private var done = false

    /// Starts a compressor at `level`.
    init(level: Int32) throws(TransferError) {
        try SystemLibrary.zstd.load()
        guard let context = il_zstd_create_cctx() else { throw ZstdStatus.failure("cannot start zstd compression") }
        self.context = context
        try ZstdStatus.check(il_zstd_cctx_set_parameter(context, IL_ZSTD_C_COMPRESSION_LEVEL, level))
        try ZstdStatus.check(il_zstd_cctx_set_parameter(context, IL_ZSTD_C_CHECKSUM_FLAG, 1))
    }

    deinit { il_zstd_free_cctx(context) }

    func process(input: UnsafeRawBufferPointer, output: UnsafeMutableRawBufferPointer, finishing: Bool)
        throws(TransferError) -> (consumed: Int, produced: Int, ended: Bool)
    {
        guard !done else { return (0, 0, true) }
        var inBuffer = il_zstd_in(src: input.baseAddress, size: input.count, pos: 0)
        var outBuffer = il_zstd_out(dst: output.baseAddress, size: output.count, pos: 0)
        let endOp = finishing ? IL_ZSTD_E_END : IL_ZSTD_E_CONTINUE
        let remaining = il_zstd_compress_stream2(context, &outBuffer, &inBuffer, endOp)
        try ZstdStatus.check(remaining)
        done = finishing && remaining == 0 && inBuffer.pos == input.count
        return (inBuffer.pos, outBuffer.pos, done)
    }
}

/// zstd decompression through `ZSTD_decompressStream`, accepting concatenated frames.
final class ZstdDecompressor: StreamCodec {
    private let context: UnsafeMutableRawPointer
    /// Inside a frame that has not been fully decoded and flushed.
    private var inFrame = false

    /// Starts a decompressor.
    init() throws(TransferError) {
        try SystemLibrary.zstd.load()
        guard let context = il_zstd_create_dctx() else { throw ZstdStatus.failure("cannot start zstd decompression") }
        self.context = context
    }

    deinit { il_zstd_free_dctx(context) }

    func process(input: UnsafeRawBufferPointer, output: UnsafeMutableRawBufferPointer, finishing: Bool)
        throws(TransferError) -> (consumed: Int, produced: Int, ended: Bool)
    {
        var inBuffer = il_zstd_in(src: input.baseAddress, size: input.count, pos: 0)
        var outBuffer = il_zstd_out(dst: output.baseAddress, size: output.count, pos: 0)
        if !input.isEmpty || inFrame {
            let hint = il_zstd_decompress_stream(context, &outBuffer, &inBuffer)
            try ZstdStatus.check(hint)
            inFrame = hint != 0
        }
        let consumed = inBuffer.pos
        let produced = outBuffer.pos
        guard finishing, consumed == input.count, produced < output.count else { return (consumed, produced, false) }
        if inFrame, produced == 0 { throw ZstdStatus.failure("the zstd stream is truncated") }
        return (consumed, produced, !inFrame)
    }
}

/// zstd return-code checks.
enum ZstdStatus {
    /// Throws when `code` is a zstd error code.
    static func check(_ code: Int) throws(TransferError) {
        if il_zstd_is_error(code) != 0 { throw failure("zstd: \(String(cString: il_zstd_error_name(code)))") }
    }

    /// A compression error with `text`.
    static func failure(_ text: String) -> TransferError { TransferError(path: "zstd", reason: .compression(text)) }
}

import CZstd

/// zstd compression through `ZSTD_compressStream2`, single-threaded (so output is deterministic), with the frame
/// checksum on as the `zstd` program writes it.
final class ZstdCompressor: StreamCodec {
    private let context: OpaquePointer
    private var done = false

    /// Starts a compressor at `level`.
    init(level: Int32) throws(TransferError) {
        guard let context = ZSTD_createCCtx() else { throw ZstdStatus.failure("cannot start zstd compression") }
        self.context = context
        try ZstdStatus.check(ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, level))
        try ZstdStatus.check(ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 1))
    }

    deinit { ZSTD_freeCCtx(context) }

    func process(input: UnsafeRawBufferPointer, output: UnsafeMutableRawBufferPointer, finishing: Bool)
        throws(TransferError) -> (consumed: Int, produced: Int, ended: Bool)
    {
        guard !done else { return (0, 0, true) }
        var inBuffer = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        var outBuffer = ZSTD_outBuffer(dst: output.baseAddress, size: output.count, pos: 0)
        let remaining = ZSTD_compressStream2(context, &outBuffer, &inBuffer, finishing ? ZSTD_e_end : ZSTD_e_continue)
        try ZstdStatus.check(remaining)
        done = finishing && remaining == 0 && inBuffer.pos == input.count
        return (inBuffer.pos, outBuffer.pos, done)
    }
}

/// zstd decompression through `ZSTD_decompressStream`, accepting concatenated frames.
final class ZstdDecompressor: StreamCodec {
    private let context: OpaquePointer
    /// Inside a frame that has not been fully decoded and flushed.
    private var inFrame = false

    /// Starts a decompressor.
    init() throws(TransferError) {
        guard let context = ZSTD_createDCtx() else { throw ZstdStatus.failure("cannot start zstd decompression") }
        self.context = context
    }

    deinit { ZSTD_freeDCtx(context) }

    func process(input: UnsafeRawBufferPointer, output: UnsafeMutableRawBufferPointer, finishing: Bool)
        throws(TransferError) -> (consumed: Int, produced: Int, ended: Bool)
    {
        var inBuffer = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        var outBuffer = ZSTD_outBuffer(dst: output.baseAddress, size: output.count, pos: 0)
        if !input.isEmpty || inFrame {
            let hint = ZSTD_decompressStream(context, &outBuffer, &inBuffer)
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
        if ZSTD_isError(code) != 0 { throw failure("zstd: \(String(cString: ZSTD_getErrorName(code)))") }
    }

    /// A compression error with `text`.
    static func failure(_ text: String) -> TransferError { TransferError(path: "zstd", reason: .compression(text)) }
}

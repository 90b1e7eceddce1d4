import InterlinkCore

/// One direction of a streaming compressor or decompressor, driven by ``CodecSource``.
package protocol StreamCodec: AnyObject {
    /// Consumes input and produces output.
    ///
    /// - Parameters:
    ///   - input: Bytes not yet consumed.
    ///   - output: Room for output.
    ///   - finishing: No input will follow `input`.
    /// - Returns: Bytes consumed from `input`, bytes written to `output`, and whether the stream has ended (all
    ///   output produced). A call that consumes and produces nothing while `finishing` must throw or end.
    /// - Throws: `TransferError` with reason `.compression` for corrupt or truncated data.
    func process(input: UnsafeRawBufferPointer, output: UnsafeMutableRawBufferPointer, finishing: Bool)
        throws(TransferError) -> (consumed: Int, produced: Int, ended: Bool)
}

extension Compression {
    /// A new compressor for this setting, or nil for `.none`.
    ///
    /// - Parameter level: The codec's level; nil for its default (gzip 6, zstd 3).
    /// - Returns: The compressor, or nil when there is nothing to do.
    /// - Throws: `TransferError` when the library cannot start a stream.
    package func makeCompressor(level: Int32? = nil) throws(TransferError) -> (any StreamCodec)? {
        switch self {
        case .none: nil
        case .gzip: try GzipCodec(compressingAt: level ?? 6)
        case .zstd: try ZstdCompressor(level: level ?? 3)
        }
    }

    /// A new decompressor for this setting, or nil for `.none`.
    ///
    /// - Throws: `TransferError` when the library cannot start a stream.
    package func makeDecompressor() throws(TransferError) -> (any StreamCodec)? {
        switch self {
        case .none: nil
        case .gzip: try GzipCodec(decompressing: ())
        case .zstd: try ZstdDecompressor()
        }
    }

    /// Recognises a compressed stream by its first bytes: gzip `1f 8b`, zstd `28 b5 2f fd`, else none.
    package static func detect(magic: some Collection<UInt8>) -> Compression {
        let bytes = Array(magic.prefix(4))
        if bytes.starts(with: [0x1f, 0x8b]) { return .gzip }
        if bytes == [0x28, 0xb5, 0x2f, 0xfd] { return .zstd }
        return .none
    }
}

/// A ``ByteSource`` that runs its upstream through a ``StreamCodec`` (compressing or decompressing).
package final class CodecSource: ByteSource {
    private let upstream: any ByteSource
    private let codec: any StreamCodec
    private let input: UnsafeMutableRawBufferPointer
    private var start = 0
    private var end = 0
    private var upstreamEnded = false
    private var ended = false

    /// Wraps `upstream`.
    ///
    /// - Parameters:
    ///   - upstream: Where the input comes from.
    ///   - codec: The transformation.
    ///   - bufferSize: The input buffer size in bytes.
    package init(_ upstream: any ByteSource, codec: any StreamCodec, bufferSize: Int = 1 << 20) {
        self.upstream = upstream
        self.codec = codec
        input = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferSize, alignment: 16)
    }

    deinit { input.deallocate() }

    package func read(into buffer: UnsafeMutableRawBufferPointer) throws(TransferError) -> Int {
        var written = 0
        while written < buffer.count, !ended {
            if start == end, !upstreamEnded {
                start = 0
                end = try upstream.read(into: input)
                upstreamEnded = end == 0
            }
            let result = try codec.process(
                input: UnsafeRawBufferPointer(rebasing: input[start..<end]),
                output: UnsafeMutableRawBufferPointer(rebasing: buffer[written...]),
                finishing: upstreamEnded
            )
            start += result.consumed
            written += result.produced
            ended = result.ended
            if result.consumed == 0, result.produced == 0, !ended, start < end || upstreamEnded {
                throw TransferError(path: "stream", reason: .compression("the stream is truncated or corrupt"))
            }
        }
        return written
    }
}

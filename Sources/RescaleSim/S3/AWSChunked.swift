/// Decoding of `aws-chunked` bodies (streaming SigV4 payloads and unsigned payloads with trailing checksums), a
/// piece at a time as the body arrives.
///
/// Each chunk is `<hex size>[;chunk-signature=<sig>]\r\n<bytes>\r\n`; a zero-size chunk ends the data and may be
/// followed by trailer lines. Chunk signatures are not checked (the seed request's signature is).
struct AWSChunked {
    private enum State {
        case header
        case data(remaining: Int)
        case dataEnd(remaining: Int)
        case done
    }

    private var state = State.header
    private var line: [UInt8] = []

    /// The longest chunk header line accepted.
    private static let maximumLineLength = 4096
    private static let malformed = S3Error("IncompleteBody", 400, "The request body terminated unexpectedly")

    /// Decodes one piece of the body, appending the data it holds to `output`.
    ///
    /// - Throws: `IncompleteBody` when a chunk header is not `<hex size>[;…]`.
    mutating func feed(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) throws(S3Error) {
        var index = 0
        while index < input.count {
            switch state {
            case .header:
                let byte = input[index]
                index += 1
                if byte == 10, line.last == 13 {
                    line.removeLast()
                    let text = String(decoding: line, as: UTF8.self)
                    line.removeAll(keepingCapacity: true)
                    let sizeText = text.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
                    guard let size = Int(sizeText, radix: 16), size >= 0 else { throw Self.malformed }
                    state = size == 0 ? .done : .data(remaining: size)
                } else {
                    guard line.count < Self.maximumLineLength else { throw Self.malformed }
                    line.append(byte)
                }
            case .data(let remaining):
                let count = min(remaining, input.count - index)
                output.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[index..<index + count]))
                index += count
                state = remaining == count ? .dataEnd(remaining: 2) : .data(remaining: remaining - count)
            case .dataEnd(let remaining):
                let count = min(remaining, input.count - index)
                index += count
                state = remaining == count ? .header : .dataEnd(remaining: remaining - count)
            case .done:
                return  // trailer lines
            }
        }
    }

    /// Checks that the final zero-size chunk was seen.
    ///
    /// - Throws: `IncompleteBody` when the body ended inside a chunk.
    func finish() throws(S3Error) {
        guard case .done = state else { throw Self.malformed }
    }

    /// Decodes a whole body at once.
    static func decode(_ raw: [UInt8]) throws -> [UInt8] {
        var decoder = AWSChunked()
        var output: [UInt8] = []
        try raw.withUnsafeBytes { bytes in try decoder.feed(bytes, into: &output) }
        try decoder.finish()
        return output
    }
}

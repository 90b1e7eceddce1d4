import Foundation

/// Decoding of `aws-chunked` bodies (streaming SigV4 payloads and unsigned payloads with trailing checksums), a
/// piece at a time as the body arrives.
///
/// Each chunk is `<hex size>[;chunk-signature=<sig>]\r\n<bytes>\r\n`; a zero-size chunk ends the data and is
/// followed by trailer lines (`name:value\r\n`, such as `x-amz-checksum-crc32:<base64>`) and an empty line. Chunk
/// signatures are not checked (the seed request's signature is); the trailers are kept for the receiver to check.
struct AWSChunked {
    private enum State {
        case header
        case data(remaining: Int)
        case dataEnd(remaining: Int)
        case trailer
        case done
    }

    private var state = State.header
    private var line: [UInt8] = []
    /// The trailer lines after the last chunk, names lower-cased, in order.
    private(set) var trailers: [(name: String, value: String)] = []

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
                    state = size == 0 ? .trailer : .data(remaining: size)
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
            case .trailer:
                let byte = input[index]
                index += 1
                if byte == 10, line.last == 13 {
                    line.removeLast()
                    if line.isEmpty {
                        state = .done
                    } else {
                        let text = String(decoding: line, as: UTF8.self)
                        guard let colon = text.firstIndex(of: ":") else { throw Self.malformed }
                        trailers.append(
                            (
                                text[..<colon].lowercased(),
                                text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                            )
                        )
                    }
                    line.removeAll(keepingCapacity: true)
                } else {
                    guard line.count < Self.maximumLineLength else { throw Self.malformed }
                    line.append(byte)
                }
            case .done:
                return  // nothing follows the empty line
            }
        }
    }

    /// Checks that the final zero-size chunk was seen, and its trailer lines if any began.
    ///
    /// - Throws: `IncompleteBody` when the body ended inside a chunk or inside a trailer line.
    func finish() throws(S3Error) {
        switch state {
        case .done: return
        case .trailer where line.isEmpty: return  // ended right after the last chunk (or a trailer's line end)
        case .header, .data, .dataEnd, .trailer: throw Self.malformed
        }
    }

    /// The value of a trailer, by lower-cased name.
    func trailer(_ name: String) -> String? {
        trailers.first { $0.name == name }?.value
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

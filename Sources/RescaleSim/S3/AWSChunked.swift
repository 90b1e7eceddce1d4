/// Decoding of `aws-chunked` bodies (streaming SigV4 payloads and unsigned payloads with trailing checksums).
///
/// Each chunk is `<hex size>[;chunk-signature=<sig>]\r\n<bytes>\r\n`; a zero-size chunk ends the data and may be
/// followed by trailer lines. Chunk signatures are not checked (the seed request's signature is).
enum AWSChunked {
    static func decode(_ raw: [UInt8]) throws(S3Error) -> [UInt8] {
        var output: [UInt8] = []
        var index = 0
        let malformed = S3Error("IncompleteBody", 400, "The request body terminated unexpectedly")
        while true {
            guard let lineEnd = crlf(in: raw, from: index) else { throw malformed }
            let line = String(decoding: raw[index..<lineEnd], as: UTF8.self)
            let sizeText = line.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
            guard let size = Int(sizeText, radix: 16), size >= 0 else { throw malformed }
            index = lineEnd + 2
            if size == 0 { return output }
            guard index + size + 2 <= raw.count else { throw malformed }
            output += raw[index..<index + size]
            index += size + 2
        }
    }

    private static func crlf(in bytes: [UInt8], from start: Int) -> Int? {
        var index = start
        while index + 1 < bytes.count {
            if bytes[index] == 13, bytes[index + 1] == 10 { return index }
            index += 1
        }
        return nil
    }
}

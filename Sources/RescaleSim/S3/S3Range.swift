/// Parsing of the `Range` header for GetObject (a single `bytes=` range), as S3 interprets it.
enum S3Range {
    /// The inclusive byte range asked for, clamped to the object.
    ///
    /// - Returns: `nil` when the header is not a single valid byte range (S3 then returns the whole object).
    /// - Throws: `InvalidRange` (416) when the range starts past the end.
    static func parse(_ header: String, size: Int) throws(S3Error) -> ClosedRange<Int>? {
        guard header.hasPrefix("bytes="), !header.contains(",") else { return nil }
        let spec = header.dropFirst(6)
        let pieces = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard pieces.count == 2 else { return nil }
        if pieces[0].isEmpty {
            guard let suffix = Int(pieces[1]), suffix > 0 else { return nil }
            guard size > 0 else { throw .invalidRange }
            return max(0, size - suffix)...(size - 1)
        }
        guard let start = Int(pieces[0]) else { return nil }
        let end = pieces[1].isEmpty ? size - 1 : Int(pieces[1])
        guard let end, end >= start else { return nil }
        guard start < size else { throw .invalidRange }
        return start...min(end, size - 1)
    }
}

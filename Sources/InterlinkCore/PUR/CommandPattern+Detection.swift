extension CommandPattern {
    /// Every number the four shapes find in a command, after the filters, before overlap removal, sorted by
    /// position (longer first at the same start).
    ///
    /// Each shape is searched over the whole command from left to right without overlapping itself. A match
    /// starts at an ASCII word boundary (word characters are `[A-Za-z0-9_]`), so in `Run_1_data_2.txt` only
    /// `Run_1` + `_data_2.txt` is found, as in Interlink.
    ///
    /// - Parameter command: The template command.
    /// - Returns: The detections that pass the filters.
    package static func detect(in command: String) -> [Detection] {
        let scanner = DetectionScanner(scalars: Array(command.unicodeScalars))
        var result: [Detection] = []
        for shape in Shape.allCases {
            var position = 0
            while position < scanner.scalars.count {
                if let detection = scanner.match(shape, at: position) {
                    if isKeptByFilters(detection) { result.append(detection) }
                    position = detection.range.upperBound
                } else {
                    position += 1
                }
            }
        }
        return result.sorted(by: isBefore)
    }

    /// The filters that keep a number fixed: years 2000-2099, common ports, versions (`v2`, `rev3`), interpreter names with
    /// small numbers (`python3`), and values above 9999 are not iterated.
    static func isKeptByFilters(_ detection: Detection) -> Bool {
        let significant = detection.digits.drop { $0 == "0" }
        guard significant.count <= 4 else { return false }
        let value = detection.value
        if (2000...2099).contains(value) { return false }
        if [80, 443, 3000, 3001, 5000, 8000, 8080, 8081, 8082, 8888, 9000].contains(value) { return false }
        let prefix = detection.prefix.lowercased()
        if prefix.hasSuffix("v"), value < 100 { return false }
        if ["python", "gcc", "node", "java", "ruby", "php"].contains(prefix), value < 20 { return false }
        return true
    }

    /// Matches one shape at one position of a command's scalars.
    private struct DetectionScanner {
        let scalars: [Unicode.Scalar]

        private func at(_ i: Int) -> Unicode.Scalar? { i >= 0 && i < scalars.count ? scalars[i] : nil }
        private func isLetter(_ i: Int) -> Bool { at(i).map { $0.isASCII && $0.properties.isAlphabetic } ?? false }
        private func isDigit(_ i: Int) -> Bool { at(i).map { ("0"..."9").contains($0) } ?? false }
        private func isWordStart(_ i: Int) -> Bool { isLetter(i) || at(i) == "_" }
        private func isWord(_ i: Int) -> Bool { isWordStart(i) || isDigit(i) }
        private func isSeparator(_ i: Int) -> Bool { at(i) == "_" || at(i) == "-" }
        private func isBoundary(_ i: Int) -> Bool { isWord(i - 1) != isWord(i) }

        private func runEnd(from start: Int, while predicate: (Int) -> Bool) -> Int {
            var end = start
            while predicate(end) { end += 1 }
            return end
        }

        private func text(_ range: Range<Int>) -> String {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[range])
            return String(view)
        }

        /// W S at `start`: a greedy run of `[A-Za-z_]` and a `_` or `-` separator directly before digits.
        private func wordAndSeparator(at start: Int) -> Int? {
            guard isBoundary(start), isWordStart(start) else { return nil }
            let end = runEnd(from: start, while: isWordStart)
            if at(end) == "-", isDigit(end + 1) { return end + 1 }
            if end - start >= 2, at(end - 1) == "_", isDigit(end) { return end }
            return nil
        }

        func match(_ shape: Shape, at start: Int) -> Detection? {
            if shape == .glued {
                guard isBoundary(start), isLetter(start) else { return nil }
                let lettersEnd = runEnd(from: start, while: isLetter)
                let digitsEnd = runEnd(from: lettersEnd, while: isDigit)
                guard digitsEnd > lettersEnd else { return nil }
                if let next = at(digitsEnd), next != ".", !next.properties.isWhitespace { return nil }
                return detection(shape, start, lettersEnd, digitsEnd, digitsEnd)
            }
            guard let digitsStart = wordAndSeparator(at: start) else { return nil }
            let digitsEnd = runEnd(from: digitsStart, while: isDigit)
            switch shape {
            case .fileExtension:
                guard at(digitsEnd) == ".", isLetter(digitsEnd + 1) || isDigit(digitsEnd + 1) else { return nil }
                let end = runEnd(from: digitsEnd + 1) { isLetter($0) || isDigit($0) }
                return detection(shape, start, digitsStart, digitsEnd, end)
            case .textTail:
                guard isSeparator(digitsEnd), isWordStart(digitsEnd + 1) else { return nil }
                let end = runEnd(from: digitsEnd + 2) { isWord($0) || at($0) == "." || at($0) == "-" }
                guard end > digitsEnd + 2 else { return nil }
                return detection(shape, start, digitsStart, digitsEnd, end)
            case .bare:
                guard !isWord(digitsEnd) else { return nil }
                return detection(shape, start, digitsStart, digitsEnd, digitsEnd)
            case .glued:
                return nil
            }
        }

        private func detection(_ shape: Shape, _ start: Int, _ digitsStart: Int, _ digitsEnd: Int, _ end: Int)
            -> Detection
        {
            Detection(
                shape: shape,
                range: start..<end,
                prefix: text(start..<digitsStart),
                digits: text(digitsStart..<digitsEnd),
                suffix: text(digitsEnd..<end)
            )
        }
    }
}

/// "Did you mean" suggestions for misspelled keys, columns, stages and names.
package enum Suggestion {
    /// The candidate closest to `word`, if it is close enough to be a likely typo.
    ///
    /// Comparison ignores case and the separators `-`, `_` and space, so `Job Name` suggests `JobName` and
    /// `cores_per_slot` suggests `cores-per-slot`.
    ///
    /// - Parameters:
    ///   - word: What the user wrote.
    ///   - candidates: The valid spellings.
    /// - Returns: The best candidate within an edit distance of about a third of its length, or nil.
    package static func closest(to word: String, in candidates: some Sequence<String>) -> String? {
        let key = fold(word)
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(key, fold(candidate))
            if distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
        }
        guard let best else { return nil }
        let limit = max(1, min(key.count, fold(best.candidate).count) / 3)
        return best.distance <= limit ? best.candidate : nil
    }

    /// A help text that suggests a near miss, or lists the valid choices when there is none.
    ///
    /// - Parameters:
    ///   - word: What the user wrote.
    ///   - candidates: The valid spellings, in the order they should be listed.
    ///   - noun: What the candidates are, e.g. "key" or "stage".
    /// - Returns: The help line's text.
    package static func help(for word: String, in candidates: [String], noun: String) -> String {
        if let near = closest(to: word, in: candidates) { return "did you mean '\(near)'?" }
        return "use one of the \(noun)s: \(candidates.joined(separator: ", "))"
    }

    private static func fold(_ text: String) -> [Character] {
        Array(text.lowercased().filter { $0 != "-" && $0 != "_" && $0 != " " })
    }

    /// Levenshtein distance with adjacent transpositions counted as one edit.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previous2[j - 2] + 1)
                }
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}

/// A shell-style glob: `*` and `?` within one path component, `[a-z]` and `[!x]` classes, `\` escapes, and `**`
/// as a whole component for any number of directories.
///
/// As in Interlink (Go's `filepath.Match`), `*` also matches a leading dot. A pattern without `/` is meant to be
/// tested against a basename (``matchesBasenameOnly``); one with `/` against a relative path.
package struct Glob: Hashable, Sendable, CustomStringConvertible {
    /// Why a pattern is malformed.
    package struct SyntaxError: Error, Hashable, Sendable, CustomStringConvertible {
        /// The pattern.
        package var pattern: String
        /// What is wrong with it.
        package var reason: String

        package var description: String { "invalid glob '\(pattern)': \(reason)" }
    }

    private enum Token: Hashable, Sendable {
        case literal(Unicode.Scalar)
        case one
        case star
        case set(negated: Bool, ranges: [ClosedRange<UInt32>])
    }

    private enum Segment: Hashable, Sendable {
        case anyDirectories
        case tokens([Token])
    }

    /// The pattern as written.
    package let pattern: String
    private let segments: [Segment]

    /// Compiles a pattern.
    ///
    /// - Parameter pattern: The glob text.
    /// - Throws: `Glob.SyntaxError` for an unclosed `[` or a trailing `\`.
    package init(_ pattern: String) throws(SyntaxError) {
        self.pattern = pattern
        var segments: [Segment] = []
        for component in pattern.split(separator: "/", omittingEmptySubsequences: true) {
            if component == "**" {
                if segments.last != .anyDirectories { segments.append(.anyDirectories) }
            } else {
                segments.append(.tokens(try Self.tokenize(String(component), pattern: pattern)))
            }
        }
        self.segments = segments
    }

    package var description: String { pattern }

    /// Whether the pattern has no `/` and so is tested against basenames.
    package var matchesBasenameOnly: Bool { !pattern.utf8.contains(UInt8(ascii: "/")) }

    /// Whether the pattern contains any wildcard at all.
    package var hasWildcards: Bool {
        segments.contains { segment in
            guard case .tokens(let tokens) = segment else { return true }
            return tokens.contains { if case .literal = $0 { false } else { true } }
        }
    }

    /// Tests a relative path (or a basename for basename-only patterns).
    ///
    /// - Parameter path: A path with `/` separators; leading `./` is ignored.
    /// - Returns: Whether the whole path matches.
    package func matches(_ path: String) -> Bool {
        let components = path.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
        return Self.match(segments[...], components.map { Array($0.unicodeScalars) }[...])
    }

    /// Tests a file the way archive filters do: basename-only patterns see the basename, others the relative path.
    ///
    /// - Parameter relativePath: The file's path relative to the archived directory.
    /// - Returns: Whether the pattern matches the file.
    package func matchesFile(_ relativePath: String) -> Bool {
        matchesBasenameOnly ? matches(PathName.basename(relativePath)) : matches(relativePath)
    }

    private static func match(_ segments: ArraySlice<Segment>, _ components: ArraySlice<[Unicode.Scalar]>) -> Bool {
        guard let first = segments.first else { return components.isEmpty }
        switch first {
        case .anyDirectories:
            var rest = components
            while true {
                if match(segments.dropFirst(), rest) { return true }
                guard !rest.isEmpty else { return false }
                rest = rest.dropFirst()
            }
        case .tokens(let tokens):
            guard let component = components.first, matchComponent(tokens, component) else { return false }
            return match(segments.dropFirst(), components.dropFirst())
        }
    }

    /// Wildcard matching of one component with single-star backtracking (linear in practice).
    private static func matchComponent(_ tokens: [Token], _ text: [Unicode.Scalar]) -> Bool {
        var t = 0
        var s = 0
        var starToken = -1
        var starText = 0
        while s < text.count {
            if t < tokens.count {
                switch tokens[t] {
                case .star:
                    starToken = t
                    starText = s
                    t += 1
                    continue
                case .one:
                    t += 1
                    s += 1
                    continue
                case .literal(let scalar) where scalar == text[s]:
                    t += 1
                    s += 1
                    continue
                case .set(let negated, let ranges) where ranges.contains { $0.contains(text[s].value) } != negated:
                    t += 1
                    s += 1
                    continue
                default:
                    break
                }
            }
            guard starToken >= 0 else { return false }
            t = starToken + 1
            starText += 1
            s = starText
        }
        while t < tokens.count, tokens[t] == .star { t += 1 }
        return t == tokens.count
    }

    private static func tokenize(_ text: String, pattern: String) throws(SyntaxError) -> [Token] {
        let scalars = Array(text.unicodeScalars)
        var tokens: [Token] = []
        var i = 0
        while i < scalars.count {
            let scalar = scalars[i]
            switch scalar {
            case "*":
                if tokens.last != .star { tokens.append(.star) }
            case "?":
                tokens.append(.one)
            case "\\":
                i += 1
                guard i < scalars.count else { throw SyntaxError(pattern: pattern, reason: "trailing '\\'") }
                tokens.append(.literal(scalars[i]))
            case "[":
                var j = i + 1
                var negated = false
                if j < scalars.count, scalars[j] == "!" || scalars[j] == "^" {
                    negated = true
                    j += 1
                }
                var ranges: [ClosedRange<UInt32>] = []
                var first = true
                while j < scalars.count, scalars[j] != "]" || first {
                    first = false
                    var low = scalars[j]
                    if low == "\\" {
                        j += 1
                        guard j < scalars.count else { break }
                        low = scalars[j]
                    }
                    var high = low
                    if j + 2 < scalars.count, scalars[j + 1] == "-", scalars[j + 2] != "]" {
                        high = scalars[j + 2]
                        j += 2
                    }
                    guard low.value <= high.value else {
                        throw SyntaxError(pattern: pattern, reason: "range '\(low)-\(high)' is backwards")
                    }
                    ranges.append(low.value...high.value)
                    j += 1
                }
                guard j < scalars.count else { throw SyntaxError(pattern: pattern, reason: "'[' is never closed") }
                tokens.append(.set(negated: negated, ranges: ranges))
                i = j
            default:
                tokens.append(.literal(scalar))
            }
            i += 1
        }
        return tokens
    }
}

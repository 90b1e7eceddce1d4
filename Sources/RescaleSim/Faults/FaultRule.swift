/// A scripted fault: what to do to the Nth (and following `count - 1`) requests of a kind.
///
/// Kinds are API endpoint classes (`jobs.create`, `jobs.submit`, `files.register`, `credentials`, …) and storage
/// operations (`s3.UploadPart`, `s3.GetObject`, `azure.PutBlock`, …). A kind ending in `*` matches by prefix
/// (`s3.*`, `*`). A rule may also name part of the request path (`kind@text`): it then sees only requests whose path
/// contains that text, one object's reads among others' (`s3.GetObject@big.bin`), and counts only those. On the
/// command line a rule is written `kind[@text]:nth:action[:count]`, for example `jobs.create:1:503`,
/// `s3.UploadPart:2:reset`, `jobs.get:1:429=2:5`, `s3.GetObject:1:slow=500`, `s3.GetObject@big.bin:1:slow=4000:50`,
/// `s3.PutObject:1:expire`, `jobs.create:1:delay=2000:100`.
package struct FaultRule: Sendable, Equatable {
    /// What happens to a matching request.
    package enum Action: Sendable, Equatable {
        /// Answer with this status (500 or 503) and a short body; the request is not processed.
        case status(Int)
        /// Send the response headers and part of the body, then close the connection.
        case reset
        /// Answer 429 with `Retry-After` in seconds; the request is not processed.
        case throttle(retryAfter: Int)
        /// Wait this many milliseconds, then process the request normally.
        case slow(milliseconds: Int)
        /// Read the whole request, wait this many milliseconds, then act on it even if the client has gone (a
        /// platform that accepted a request before its client died).
        case delay(milliseconds: Int)
        /// Expire every storage credential issued so far, then process the request normally.
        case expireCredentials
    }

    /// The request kind, or a prefix ending in `*`.
    package var kind: String
    /// Text the request's path must contain, or nil for every path.
    package var pathContains: String?
    /// The 1-based index of the first matching request affected.
    package var nth: Int
    /// What to do.
    package var action: Action
    /// How many consecutive matching requests are affected.
    package var count: Int

    /// Creates a rule.
    package init(kind: String, pathContains: String? = nil, nth: Int = 1, action: Action, count: Int = 1) {
        self.kind = kind
        self.pathContains = pathContains
        self.nth = nth
        self.action = action
        self.count = count
    }

    /// Whether the rule applies to a request of a kind, at a path.
    package func matches(_ requestKind: String, path: String) -> Bool {
        if let pathContains, !path.contains(pathContains) { return false }
        return kind.hasSuffix("*") ? requestKind.hasPrefix(kind.dropLast()) : kind == requestKind
    }

    /// Parses `kind[@text]:nth:action[:count]`.
    ///
    /// Fails (nil) when the text is malformed.
    ///
    /// - Parameter text: The rule as written on the command line.
    package init?(parsing text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard (3...4).contains(parts.count), !parts[0].isEmpty, let nth = Int(parts[1]), nth >= 1,
            let action = Self.action(parts[2])
        else { return nil }
        let count = parts.count == 4 ? Int(parts[3]) : 1
        guard let count, count >= 1 else { return nil }
        let kind = parts[0].split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard !kind[0].isEmpty, kind.count == 1 || !kind[1].isEmpty else { return nil }
        self.init(kind: kind[0], pathContains: kind.count == 2 ? kind[1] : nil, nth: nth, action: action, count: count)
    }

    /// Parses an action: `500`, `503`, `reset`, `429` or `429=SECONDS`, `slow=MS`, `delay=MS`, `expire`.
    package static func action(_ text: String) -> Action? {
        let pieces = text.split(separator: "=", maxSplits: 1).map(String.init)
        switch (pieces.first, pieces.count) {
        case ("500", 1), ("502", 1), ("503", 1), ("504", 1): return Int(text).map(Action.status)
        case ("reset", 1): return .reset
        case ("expire", 1): return .expireCredentials
        case ("429", 1): return .throttle(retryAfter: 1)
        case ("429", 2): return Int(pieces[1]).flatMap { $0 >= 0 ? .throttle(retryAfter: $0) : nil }
        case ("slow", 2): return Int(pieces[1]).flatMap { $0 >= 0 ? .slow(milliseconds: $0) : nil }
        case ("delay", 2): return Int(pieces[1]).flatMap { $0 >= 0 ? .delay(milliseconds: $0) : nil }
        default: return nil
        }
    }
}

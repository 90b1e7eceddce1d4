import InterlinkCore

/// One page of a Django REST Framework list: `next` is an absolute URL or null/empty; the
/// previous-page key is `previous` (or `prev` in old docs).
package struct Page<Item: Decodable & Sendable>: Decodable, Sendable {
    /// The total count, when sent.
    package var count: Int?
    /// The next page's absolute URL; nil or empty on the last page.
    package var next: String?
    /// The items.
    package var results: [Item]

    enum CodingKeys: String, CodingKey { case count, next, results }

    /// Decodes leniently: a missing `results` is an empty page.
    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        count = try container.decodeIfPresent(Int.self, forKey: .count)
        next = try container.decodeIfPresent(String.self, forKey: .next)
        results = try container.decodeIfPresent([Item].self, forKey: .results) ?? []
    }

    /// Creates a page.
    package init(count: Int? = nil, next: String? = nil, results: [Item]) {
        self.count = count
        self.next = next
        self.results = results
    }
}

/// A number the API sends either as a JSON number or as a string (`decryptedSize`).
package struct LenientInt64: Codable, Hashable, Sendable {
    /// The value.
    package var value: Int64

    /// Wraps a value.
    package init(_ value: Int64) { self.value = value }

    /// Decodes a number, a numeric string, or a whole-valued float.
    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int64.self) {
            value = number
        } else if let text = try? container.decode(String.self), let number = Int64(text.trimmingWhitespace()) {
            value = number
        } else if let float = try? container.decode(Double.self), float == float.rounded(), float.isFinite {
            value = Int64(float)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected an integer")
        }
    }

    /// Encodes a JSON number.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

/// Where the next page's path starts: the part of `next` from the first `/api/` on, to be resent to the
/// configured host (never to the host `next` names).
///
/// - Parameter next: The `next` URL of a page.
/// - Returns: The path and query, or nil when `next` is empty or has no `/api/`.
package func nextPagePath(_ next: String?) -> String? {
    guard let next, !next.isEmpty, let start = next.range(of: "/api/") else { return nil }
    return String(next[start.lowerBound...])
}

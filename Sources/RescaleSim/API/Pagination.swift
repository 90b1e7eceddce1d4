import InterlinkCore

/// The Django REST Framework page envelope: `count`, absolute `next` and `previous` URLs, `results`.
enum Pagination {
    /// The platform's default page size.
    static let defaultPageSize = 25
    /// The largest page size honoured.
    static let maximumPageSize = 1000

    /// One page of `items` as the request's `page` and `page_size` select.
    ///
    /// - Parameters:
    ///   - items: All items, in order.
    ///   - request: The request, whose path and other query items the links repeat.
    /// - Returns: The envelope.
    /// - Throws: ``ErrorResponse`` 404 `Invalid page.` for a page past the end or a malformed number.
    static func page(_ items: [JSONValue], for request: AuthenticatedCall) throws(ErrorResponse) -> JSONValue {
        let size =
            request.parameter("page_size").flatMap { Int($0) }.map { min(max($0, 1), maximumPageSize) }
            ?? defaultPageSize
        let pageText = request.parameter("page") ?? "1"
        let lastPage = max(1, (items.count + size - 1) / size)
        guard let page = Int(pageText), page >= 1, page <= lastPage else {
            throw ErrorResponse(response: APIReply.detail(.notFound, "Invalid page."))
        }
        let slice = items.dropFirst((page - 1) * size).prefix(size)
        return [
            "count": .number(Double(items.count)),
            "next": page < lastPage ? .string(link(request, page: page + 1, size: size)) : .null,
            "previous": page > 1 ? .string(link(request, page: page - 1, size: size)) : .null,
            "results": .array(Array(slice)),
        ]
    }

    private static func link(_ request: AuthenticatedCall, page: Int, size: Int) -> String {
        let kept = request.query.filter { $0.0 != "page" && $0.0 != "page_size" }
            .map { "\(SASQuery.encode($0.0))=\(SASQuery.encode($0.1))" }
        let query = (["page=\(page)", "page_size=\(size)"] + kept).joined(separator: "&")
        return "\(request.origin)/api/\(request.segments.joined(separator: "/"))/?\(query)"
    }
}

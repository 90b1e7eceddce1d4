extension Sequence where Element: Sendable {
    /// Maps the elements with at most `limit` calls in flight, keeping the input order (one sliding-window group).
    ///
    /// Every child is drained: the first error cancels the rest and is rethrown once they have ended.
    ///
    /// - Parameters:
    ///   - limit: The most calls running at once; at least 1.
    ///   - transform: The call made for each element.
    /// - Returns: The results, in the order of the elements.
    /// - Throws: The first error a call throws, or `CancellationError`.
    package func concurrentMap<T: Sendable>(
        limit: Int,
        _ transform: @escaping @Sendable (Element) async throws -> T
    ) async throws -> [T] {
        precondition(limit > 0, "limit must be positive")
        return try await withThrowingTaskGroup(of: (Int, T).self) { group in
            var pending = enumerated().makeIterator()
            for _ in 0..<limit {
                guard let (index, next) = pending.next() else { break }
                group.addTask { (index, try await transform(next)) }
            }
            var results: [Int: T] = [:]
            while let (index, result) = try await group.next() {
                results[index] = result
                if let (index, next) = pending.next() { group.addTask { (index, try await transform(next)) } }
            }
            return (0..<results.count).compactMap { results[$0] }
        }
    }

    /// Runs `body` for every element with at most `limit` calls in flight (one sliding-window group).
    ///
    /// Every child is drained: the first error cancels the rest and is rethrown once they have ended.
    ///
    /// - Parameters:
    ///   - limit: The most calls running at once; at least 1.
    ///   - body: The call made for each element.
    /// - Throws: The first error a call throws, or `CancellationError`.
    package func concurrentForEach(
        limit: Int,
        _ body: @escaping @Sendable (Element) async throws -> Void
    ) async throws {
        precondition(limit > 0, "limit must be positive")
        try await withThrowingTaskGroup(of: Void.self) { group in
            var pending = makeIterator()
            for _ in 0..<limit {
                guard let next = pending.next() else { break }
                group.addTask { try await body(next) }
            }
            while try await group.next() != nil {
                if let next = pending.next() { group.addTask { try await body(next) } }
            }
        }
    }
}

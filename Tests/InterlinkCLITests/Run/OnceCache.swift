/// A value computed once per test process by its first caller; callers meanwhile wait for that computation.
///
/// A failed computation is not cached: the next caller computes again (and sees its own failure).
actor OnceCache<Value: Sendable> {
    private var value: Value?
    private var computing = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// The cached value, or the result of `compute` when there is none yet.
    ///
    /// - Parameter compute: Computes the value; called by one caller at a time.
    /// - Returns: The value.
    /// - Throws: What `compute` throws.
    func get(_ compute: @Sendable () async throws -> Value) async throws -> Value {
        while computing { await withCheckedContinuation { waiters.append($0) } }
        if let value { return value }
        computing = true
        defer {
            computing = false
            for waiter in waiters { waiter.resume() }
            waiters = []
        }
        let computed = try await compute()
        value = computed
        return computed
    }
}

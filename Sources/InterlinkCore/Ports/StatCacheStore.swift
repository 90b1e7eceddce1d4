/// Where a workflow's ``StatCache`` is kept between plans: beside its runs, in `.interlink/stat-cache`.
///
/// Core does no I/O; the CLI passes the real store (InterlinkSystem's `StatCacheFile`) and tests pass their own.
package protocol StatCacheStore: Sendable {
    /// The cache saved for a workflow directory, or an empty one when there is none or it cannot be read.
    ///
    /// - Parameter baseDirectory: The workflow's directory (where `.interlink/` lives).
    /// - Returns: The cache, with its write time.
    func load(baseDirectory: String) -> StatCache

    /// Saves the cache after a plan that hashed files, replacing the previous one atomically.
    ///
    /// A cache is only an accelerator: a store that cannot write says nothing and the next plan hashes again.
    ///
    /// - Parameters:
    ///   - cache: The cache after planning.
    ///   - baseDirectory: The workflow's directory.
    func save(_ cache: StatCache, baseDirectory: String)
}

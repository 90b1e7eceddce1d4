/// An Azure shared access signature: the query string the platform returns, without a leading `?`.
package struct AzureSAS: Hashable, Sendable, Codable {
    /// The token, such as `sv=2021-12-02&sr=c&sp=rcw&se=…&sig=…`.
    package var token: String

    /// Wraps a token, dropping a leading `?` if one was given anyway.
    package init(_ token: String) {
        self.token = token.hasPrefix("?") ? String(token.dropFirst()) : token
    }
}

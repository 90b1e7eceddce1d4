import InterlinkCore

extension RawJSON {
    /// Wraps a value already parsed (a record read from the platform, to be written out again as JSON).
    package init(_ value: JSONValue) { self.value = value }
}

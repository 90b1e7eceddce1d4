extension JobsCSV {
    /// The submit-mode words Interlink accepts (case-insensitive, trimmed); the empty value means submit.
    package static let submitWords: [String: SubmitMode] = [
        "": .submit, "yes": .submit, "true": .submit, "submit": .submit, "create_and_submit": .submit,
        "no": .createOnly, "false": .createOnly, "create_only": .createOnly, "draft": .createOnly,
    ]

    /// Reads a `Submit` value.
    ///
    /// - Parameter text: The value as written.
    /// - Returns: The mode, or nil for a word Interlink does not know (it would silently create only).
    package static func submitMode(_ text: String) -> SubmitMode? {
        submitWords[text.trimmingWhitespace().lowercased()]
    }

    /// Whether `text` is a plain decimal number.
    ///
    /// Optional sign, digits with an optional fraction, optional exponent (`2`, `0.5`, `.5`, `1e1`, `+2.5E-1`).
    /// Hex floats, `_` separators, `inf` and `nan` are not.
    ///
    /// - Parameter text: The trimmed value.
    /// - Returns: Whether it is one.
    package static func isDecimalNumber(_ text: String) -> Bool {
        var scalars = text.unicodeScalars[...]
        func digits() -> Int {
            let count = scalars.prefix { $0 >= "0" && $0 <= "9" }.count
            scalars = scalars.dropFirst(count)
            return count
        }
        if scalars.first == "+" || scalars.first == "-" { scalars = scalars.dropFirst() }
        var mantissaDigits = digits()
        if scalars.first == "." {
            scalars = scalars.dropFirst()
            mantissaDigits += digits()
        }
        guard mantissaDigits > 0 else { return false }
        if scalars.first == "e" || scalars.first == "E" {
            scalars = scalars.dropFirst()
            if scalars.first == "+" || scalars.first == "-" { scalars = scalars.dropFirst() }
            guard digits() > 0 else { return false }
        }
        return scalars.isEmpty
    }

    /// Whether a relative path stays inside the directory it is relative to after lexical normalization.
    ///
    /// A leading `/` is ignored, as Interlink appends an absolute-looking `TarSubpath` to the run directory.
    ///
    /// - Parameter text: The path as written.
    /// - Returns: Whether it stays inside.
    package static func isInside(_ text: String) -> Bool {
        let normalized = PathName.normalize(String(text.drop { $0 == "/" }))
        return normalized != ".." && !normalized.hasPrefix("../")
    }

    /// The `TarSubpath` an archive uses: leading `/` dropped and normalized; nil for none or `.`.
    ///
    /// - Parameter text: The value as written.
    /// - Returns: The subpath, or nil.
    package static func normalizedSubpath(_ text: String) -> String? {
        let stripped = String(text.drop { $0 == "/" })
        guard !stripped.isEmpty else { return nil }
        let normalized = PathName.normalize(stripped)
        return normalized == "." ? nil : normalized
    }
}

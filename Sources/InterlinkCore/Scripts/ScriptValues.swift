/// Strict readers for numeric directive values (never truncate `1.5` to 1 or read `3abc` as 3; always say where).
enum ScriptValues {
    /// A whole number of at least 1 written with digits only.
    static func count(_ value: String, what: String, at: SourceLocation, into diagnostics: inout [Diagnostic]) -> Int? {
        guard !value.isEmpty, value.allSatisfy({ $0.isASCII && $0.isNumber }), let count = Int(value), count > 0 else {
            diagnostics.append(
                .error(
                    "invalid \(what) value '\(value)'",
                    help: "write a whole number of at least 1, such as 4",
                    at: at
                )
            )
            return nil
        }
        return count
    }

    /// A walltime in hours (`1.5` is 1.5 h, rounded up by the API) or with units, more than zero and at most
    /// ``Walltime/maximumHours``; a larger plain number is reported as a likely value in seconds.
    static func walltime(_ value: String, what: String, at: SourceLocation, into diagnostics: inout [Diagnostic])
        -> Walltime?
    {
        guard let walltime = Walltime(parsing: value), walltime.hours > 0 else {
            diagnostics.append(
                .error(
                    "invalid \(what) value '\(value)'",
                    help: "write the walltime in hours, such as 2 or 1.5, or with a unit such as '90m'",
                    at: at
                )
            )
            return nil
        }
        guard walltime.hours <= Walltime.maximumHours else {
            let limit = Walltime.formatHours(Walltime.maximumHours)
            let help: String
            if let seconds = Double(value) {
                let hours = Walltime(hours: seconds / 3600).apiHours
                help = "the value is in hours, not seconds: '\(value)' seconds is \(hours) hours, so write \(hours)"
            } else {
                help = "ask for at most \(limit) hours"
            }
            diagnostics.append(.error("\(what) '\(value)' is more than \(limit) hours", help: help, at: at))
            return nil
        }
        return walltime
    }

    /// rescale-cli's reading of a count or walltime: its leading ASCII digits, as a number > 0; a value with
    /// more after the digits is a guess and one without leading digits (or 0) is ignored, each with a warning.
    static func leadingNumber(_ value: String, what: String, at: SourceLocation, into diagnostics: inout [Diagnostic])
        -> Int?
    {
        let digits = value.prefix { $0.isASCII && $0.isNumber }
        guard let number = Int(digits), number > 0 else {
            diagnostics.append(ignored(what, value, at: at))
            return nil
        }
        if digits.count != value.count {
            diagnostics.append(
                .warning(
                    "\(what) value '\(value)' is read as \(number), as rescale-cli reads its leading digits",
                    help: "write the whole number \(number) to say so",
                    at: at
                )
            )
        }
        return number
    }

    /// A compat walltime of whole hours, refused (an error, as rescale-cli refuses it) above
    /// ``Walltime/maximumHours``.
    static func compatWalltime(_ hours: Int, what: String, at: SourceLocation, into diagnostics: inout [Diagnostic])
        -> Walltime?
    {
        walltime(String(hours), what: what, at: at, into: &diagnostics)
    }

    /// The warning for a value rescale-cli ignores.
    static func ignored(_ what: String, _ value: String, at: SourceLocation) -> Diagnostic {
        .warning(
            "\(what) value '\(value)' is ignored, as rescale-cli ignores it",
            help: "write a whole number of at least 1, such as 4",
            at: at
        )
    }
}

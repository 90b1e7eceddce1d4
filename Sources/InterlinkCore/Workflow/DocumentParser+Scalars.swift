import Yams

extension DocumentParser {
    /// A text value: any scalar (so `version: 2.0` reads as the text `2.0`), not null.
    mutating func string(_ node: Node, key: String) -> String? {
        guard let scalar = node.scalar, !Self.isNull(scalar) else {
            wrongType(node, key: key, expected: "text")
            return nil
        }
        if let padding = Placeholder.invalidPadding(in: scalar.string) {
            diagnostics.error(
                "placeholder '\(padding)' asks for an unusable zero padding",
                help: "pad to a width from 1 to \(Placeholder.maximumWidth), such as '{index:03}'",
                at: location(of: node)
            )
        }
        return scalar.string
    }

    /// A whole number from `minimum` to `maximum`.
    mutating func integer(_ node: Node, key: String, minimum: Int = 1, maximum: Int) -> Int? {
        let digits = node.scalar.map { $0.string.trimmingWhitespace() } ?? ""
        let isWhole = !digits.isEmpty && digits.drop { $0 == "-" || $0 == "+" }.allSatisfy { $0.isASCII && $0.isNumber }
        if isWhole, Int(digits) == nil || Int(digits).map({ $0 > maximum }) == true {
            diagnostics.error(
                "'\(key)' must be at most \(maximum), found '\(digits.count > 40 ? digits.prefix(40) + "…" : digits)'",
                help: "write a whole number from \(minimum) to \(maximum)",
                at: location(of: node)
            )
            return nil
        }
        guard let scalar = node.scalar, !Self.isNull(scalar), let value = Int(scalar.string.trimmingWhitespace()) else {
            wrongType(
                node,
                key: key,
                expected: "a whole number",
                help: "write a whole number such as \(max(minimum, 4))"
            )
            return nil
        }
        guard value >= minimum else {
            diagnostics.error(
                "'\(key)' must be at least \(minimum), found '\(scalar.string)'",
                help: "write a whole number of \(minimum) or more",
                at: location(of: node)
            )
            return nil
        }
        return value
    }

    /// `true` or `false` (YAML 1.2 core schema spellings only, so `yes` and `on` are rejected).
    mutating func boolean(_ node: Node, key: String) -> Bool? {
        if let scalar = node.scalar, scalar.style == .plain || scalar.style == .any {
            switch scalar.string {
            case "true", "True", "TRUE": return true
            case "false", "False", "FALSE": return false
            default: break
            }
        }
        wrongType(node, key: key, expected: "true or false")
        return nil
    }

    /// A list of texts; a single scalar counts as a list of one.
    mutating func strings(_ node: Node, key: String) -> [String]? {
        if let scalar = node.scalar, !Self.isNull(scalar) { return [scalar.string] }
        guard let sequence = node.sequence else {
            wrongType(node, key: key, expected: "a list of texts")
            return nil
        }
        var result: [String] = []
        var isValid = true
        for item in sequence {
            if let text = string(item, key: key) { result.append(text) } else { isValid = false }
        }
        return isValid ? result : nil
    }

    /// A list of globs, each compiled to report syntax errors at the item.
    mutating func globs(_ node: Node, key: String) -> [String]? {
        guard let patterns = strings(node, key: key) else { return nil }
        let items = node.sequence.map(Array.init) ?? [node]
        var isValid = true
        for (pattern, item) in zip(patterns, items) {
            do throws(Glob.SyntaxError) {
                _ = try Glob(pattern)
            } catch {
                diagnostics.error(
                    error.description,
                    help: "close every '[' and escape a literal '[' or '\\' with '\\'",
                    at: location(of: item)
                )
                isValid = false
            }
        }
        return isValid ? patterns : nil
    }

    /// A mapping of names to texts, such as `env:`.
    mutating func stringMap(_ node: Node, key: String) -> [String: String]? {
        guard let mapping = node.mapping else {
            wrongType(node, key: key, expected: "a mapping of names to values")
            return nil
        }
        var result: [String: String] = [:]
        for (keyNode, value) in mapping {
            guard let name = keyNode.scalar?.string, !name.isEmpty else {
                diagnostics.error("'\(key)' names must be text", help: "write NAME: value", at: location(of: keyNode))
                continue
            }
            if let text = string(value, key: "\(key).\(name)") { result[name] = text }
        }
        return result
    }

    /// A walltime such as `90m`, `2h`, `1d` or a number of hours, at most ``Walltime/maximumHours``.
    mutating func walltime(_ node: Node, key: String) -> Walltime? {
        guard let text = string(node, key: key) else { return nil }
        guard let walltime = Walltime(parsing: text) else {
            diagnostics.error(
                "invalid walltime '\(text)'",
                help: "write a duration such as '90m', '2h', '1d' or a number of hours",
                at: location(of: node)
            )
            return nil
        }
        guard walltime.hours > 0 else {
            diagnostics.error(
                "walltime '\(text)' must be more than zero",
                help: "write a duration such as '2h'",
                at: location(of: node)
            )
            return nil
        }
        guard walltime.hours <= Walltime.maximumHours else {
            diagnostics.error(
                "walltime '\(text)' is over the \(Walltime.formatHours(Walltime.maximumHours)) hour limit",
                help: "ask for at most 14 days ('336h'); a plain number is hours, not seconds",
                at: location(of: node)
            )
            return nil
        }
        return walltime
    }

    /// A duration in seconds such as `30s`, `2m`, `1h`, `1m30s` or a plain number of seconds; more than zero and at
    /// most `maximum`.
    mutating func seconds(_ node: Node, key: String, maximum: Double) -> Double? {
        guard let text = string(node, key: key) else { return nil }
        guard let seconds = Self.parseSeconds(text), seconds > 0 else {
            diagnostics.error(
                "invalid duration '\(text)' for '\(key)'",
                help: "write a duration such as '30s', '2m' or '1h'",
                at: location(of: node)
            )
            return nil
        }
        guard seconds <= maximum else {
            diagnostics.error(
                "'\(key)' of '\(text)' is over the limit of \(Int(maximum)) seconds",
                help: "write a duration of at most \(Int(maximum / 3600)) hours, such as '30s' or '5m'",
                at: location(of: node)
            )
            return nil
        }
        return seconds
    }

    /// Parses `30s`, `2m`, `1h`, `1d`, `200ms`, `1m30s` or a plain number of seconds.
    static func parseSeconds(_ text: String) -> Double? {
        let value = Array(text.trimmingWhitespace().lowercased())
        if let plain = Double(String(value)), plain.isFinite { return plain }
        var total = 0.0
        var number = ""
        var sawUnit = false
        var index = 0
        while index < value.count {
            let character = value[index]
            index += 1
            if character.isASCII, character.isNumber || character == "." {
                number.append(character)
                continue
            }
            guard let amount = Double(number) else { return nil }
            switch character {
            case "m" where index < value.count && value[index] == "s":
                index += 1
                total += amount / 1000
            case "s": total += amount
            case "m": total += amount * 60
            case "h": total += amount * 3600
            case "d": total += amount * 86_400
            default: return nil
            }
            number = ""
            sawUnit = true
        }
        return sawUnit && number.isEmpty ? total : nil
    }
}

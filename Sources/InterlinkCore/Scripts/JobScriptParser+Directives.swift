extension JobScriptParser {
    /// Applies a `#RESCALE_` directive at the very start of `line`, or warns about a near miss.
    static func readDirective(_ line: String, trimmed: String, at: SourceLocation, into script: inout JobScript) {
        let token = String(line.prefix { !$0.isWhitespace })
        guard token.hasPrefix("#RESCALE_") || token == ScriptDirective.useRescaleLicense.rawValue else {
            warnAboutNearMiss(line, trimmed: trimmed, at: at, into: &script)
            return
        }
        let afterToken = line.dropFirst(token.count)
        guard afterToken.count > 1 else {
            script.diagnostics.append(
                .warning("'\(token)' has no value and is ignored", help: "write a value after '\(token) '", at: at)
            )
            return
        }
        let value = String(afterToken).trimmingWhitespace()
        let leading = afterToken.unicodeScalars.prefix { $0.properties.isWhitespace }.count
        let valueAt = at.column(token.unicodeScalars.count + leading + 1)
        if token.hasPrefix(ScriptDirective.environmentPrefix) {
            let name = String(token.dropFirst(ScriptDirective.environmentPrefix.count))
            guard !name.isEmpty,
                name.unicodeScalars.allSatisfy({
                    $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_")
                })
            else {
                guard script.mode == .strict else {
                    script.diagnostics.append(
                        .warning(
                            "'\(token)' is not an environment variable directive and is ignored",
                            help: "use letters, digits and '_' only in the name, as in '#RESCALE_ENV_LM_LICENSE_FILE'",
                            at: at
                        )
                    )
                    return
                }
                script.diagnostics.append(
                    .error(
                        "invalid environment variable name '\(name)'",
                        help: "use letters, digits and '_' only, as in '#RESCALE_ENV_LM_LICENSE_FILE'",
                        at: at
                    )
                )
                return
            }
            script.environment[name] = value
            return
        }
        guard let directive = ScriptDirective(rawValue: token) else {
            script.diagnostics.append(
                .warning(
                    "unknown directive '\(token)' is ignored",
                    help: Suggestion.help(for: token, in: ScriptDirective.names, noun: "directive"),
                    at: at
                )
            )
            return
        }
        apply(directive, value: value, at: valueAt, to: &script)
    }

    private static func apply(
        _ directive: ScriptDirective,
        value: String,
        at: SourceLocation,
        to script: inout JobScript
    ) {
        let what = directive.rawValue
        if script.mode == .compat, applyCompat(directive, value: value, at: at, to: &script) { return }
        switch directive {
        case .name: script.name = value
        case .command: script.commandDirective = value
        case .analysis: script.analysisCode = value
        case .analysisVersion: script.analysisVersion = value
        case .cores: script.coreType = value
        case .coresPerSlot:
            script.coresPerSlot =
                ScriptValues.count(value, what: what, at: at, into: &script.diagnostics) ?? script.coresPerSlot
            if script.coresPerSlot == nil { script.invalidDirectives.insert(directive) }
        case .slots:
            if let count = ScriptValues.count(value, what: what, at: at, into: &script.diagnostics) {
                script.slots = count
            }
        case .walltime:
            script.walltime =
                ScriptValues.walltime(value, what: what, at: at, into: &script.diagnostics) ?? script.walltime
            if script.walltime == nil { script.invalidDirectives.insert(directive) }
        case .tags:
            script.tags += value.split(separator: ",").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
        case .projectID: script.projectID = value
        case .inboundSSHCIDR: script.inboundSSHCIDR = value
        case .publicKey: script.publicKey = value
        case .useRescaleLicense:
            switch value {
            case "true": script.useRescaleLicense = true
            case "false": script.useRescaleLicense = false
            default:
                script.diagnostics.append(
                    .error("invalid \(what) value '\(value)'", help: "write 'true' or 'false' in lower case", at: at)
                )
            }
        case .userDefinedLicenseSettings: script.userDefinedLicenseSettings = value
        case .automation:
            if let id = value.split(whereSeparator: \.isWhitespace).first { script.automations.append(String(id)) }
        }
    }

    /// Applies a directive whose value rescale-cli reads more loosely than the strict reader: the leading digits
    /// of counts and walltimes, and a license flag other than `true` or `false` ignored; each guess or ignored
    /// value is a warning at the value.
    ///
    /// - Returns: Whether the directive was handled here.
    private static func applyCompat(
        _ directive: ScriptDirective,
        value: String,
        at: SourceLocation,
        to script: inout JobScript
    ) -> Bool {
        let what = directive.rawValue
        switch directive {
        case .coresPerSlot, .slots, .walltime:
            guard let number = ScriptValues.leadingNumber(value, what: what, at: at, into: &script.diagnostics) else {
                return true
            }
            switch directive {
            case .coresPerSlot: script.coresPerSlot = number
            case .slots: script.slots = number
            default:
                script.walltime =
                    ScriptValues.compatWalltime(number, what: what, at: at, into: &script.diagnostics)
                    ?? script.walltime
                if script.walltime == nil { script.invalidDirectives.insert(directive) }
            }
            return true
        case .useRescaleLicense where value != "true" && value != "false":
            script.diagnostics.append(
                .warning(
                    "\(what) value '\(value)' is ignored (rescale-cli reads only 'true' and 'false')",
                    help: "write 'true' or 'false' in lower case",
                    at: at
                )
            )
            return true
        default:
            return false
        }
    }

    /// Warns about lines that look like directives but are ignored: indented or in the wrong case.
    private static func warnAboutNearMiss(
        _ line: String,
        trimmed: String,
        at: SourceLocation,
        into script: inout JobScript
    ) {
        let token = String(trimmed.prefix { !$0.isWhitespace })
        let isIndented = trimmed.count != line.count && !trimmed.isEmpty && !line.hasPrefix(trimmed)
        let indentAt = at.column(line.unicodeScalars.prefix { $0.properties.isWhitespace }.count + 1)
        if token.hasPrefix("#$"), isIndented {
            script.diagnostics.append(
                .warning(
                    "indented directive '\(token)' is ignored",
                    help: "move it to the start of the line",
                    at: indentAt
                )
            )
            return
        }
        guard ScriptDirective.looksLikeDirective(token) else { return }
        if isIndented, token.hasPrefix("#RESCALE_") || token == ScriptDirective.useRescaleLicense.rawValue {
            script.diagnostics.append(
                .warning(
                    "indented directive '\(token)' is ignored",
                    help: "move it to the start of the line",
                    at: indentAt
                )
            )
            return
        }
        let upper = token.uppercased()
        let suggestion =
            ScriptDirective(rawValue: upper) != nil || upper.hasPrefix(ScriptDirective.environmentPrefix)
            ? upper : Suggestion.closest(to: upper, in: ScriptDirective.names)
        script.diagnostics.append(
            .warning(
                "directive names are case-sensitive: '\(token)' is ignored",
                help: suggestion.map { "did you mean '\($0)'?" } ?? "write directive names in upper case",
                at: indentAt
            )
        )
    }
}

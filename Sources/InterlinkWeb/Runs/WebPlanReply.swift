import Foundation

/// The reply of `GET /api/plan`: the plan `rescale-int plan --json` printed (as raw JSON), or the diagnostics it
/// reported, each with its file, line and column.
struct WebPlanReply: Encodable {
    /// One diagnostic as the CLI rendered it (`file:line:col: error: message`, then `help: …`).
    struct Diagnostic: Encodable, Hashable {
        var file: String
        var line: Int?
        var column: Int?
        var severity: String
        var message: String
        var help: String?
    }

    /// The workflow planned.
    var workflow: String
    /// The plan command's exit status.
    var status: Int32
    /// The plan document, when it planned.
    var plan: WebRawJSON?
    /// What it reported.
    var diagnostics: [Diagnostic]

    /// Builds the reply from the command's output.
    init(output: WebProcesses.Output, workflow: String) {
        self.workflow = workflow
        status = output.status
        plan = output.status == 0 ? WebRawJSON(text: output.stdout) : nil
        diagnostics = Self.diagnostics(in: output.stderr)
    }

    /// The diagnostics of compiler-style text; a `help:` line attaches to the diagnostic before it.
    static func diagnostics(in text: String) -> [Diagnostic] {
        var found: [Diagnostic] = []
        for line in text.split(separator: "\n").map(String.init) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("help:"), !found.isEmpty {
                found[found.count - 1].help = String(trimmed.dropFirst(5)).trimmingCharacters(in: .whitespaces)
                continue
            }
            for severity in ["error", "warning", "note"] {
                guard let range = line.range(of: ": \(severity): ") else { continue }
                let location = line[..<range.lowerBound].split(separator: ":", omittingEmptySubsequences: false)
                var file = location.map(String.init).joined(separator: ":")
                var lineNumber: Int?
                var column: Int?
                if location.count >= 3, let l = Int(location[location.count - 2]), let c = Int(location.last ?? "") {
                    file = location.dropLast(2).joined(separator: ":")
                    (lineNumber, column) = (l, c)
                } else if location.count >= 2, let l = Int(location.last ?? "") {
                    file = location.dropLast().joined(separator: ":")
                    lineNumber = l
                }
                found.append(
                    Diagnostic(
                        file: file,
                        line: lineNumber,
                        column: column,
                        severity: severity,
                        message: String(line[range.upperBound...]),
                        help: nil
                    )
                )
                break
            }
            if line.hasPrefix("error: ") {
                found.append(Diagnostic(file: "", severity: "error", message: String(line.dropFirst(7))))
            }
        }
        return found
    }
}

/// JSON text passed through as it is (the plan the CLI printed), encoded as the JSON value it holds.
struct WebRawJSON: Encodable {
    /// The JSON text.
    var text: String

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        let value = try JSONDecoder().decode(AnyJSON.self, from: Data(text.utf8))
        try container.encode(value)
    }
}

/// Any JSON value, to re-encode a document the CLI printed.
enum AnyJSON: Codable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([AnyJSON])
    case object([String: AnyJSON])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([AnyJSON].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: AnyJSON].self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}
